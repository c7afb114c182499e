import ESPLoader
import Foundation
import SPIFFS

/// Questions about a board's SPIFFS partition answered from partial reads (issue 9 §3): `fs ls --port`
/// reads the lookup entries and index headers, `fs cat --port` adds one file's pages. The logic lives in
/// `SPIFFSPartialReader`; this wires it to the loader: READ_FLASH (stub) or READ_FLASH_SLOW (ESP32-family
/// ROM) to read, SPI_FLASH_MD5 to confirm that skipped runs are erased.
public enum SPIFFSBoardRead {
  /// What a partial read cost, for the note and the JSON.
  public struct Cost: Codable, Sendable, Equatable {
    public var bytesRead: Int
    public var reads: Int
    public var partitionSize: Int
  }

  static func reader(flasher: Flasher, offset: Int, layout: SPIFFSLayout) -> SPIFFSPartialReader {
    SPIFFSPartialReader(
      layout: layout,
      read: { range, progress in
        try flasher.readFlash(offset: UInt32(offset + range.lowerBound), size: range.count,
                              progress: progress.map { report in { done, _ in report(done) } })
      },
      matches: { range, expected in
        let flash = try flasher.flashMD5(offset: UInt32(offset + range.lowerBound), size: range.count)
        return flash.map { String(format: "%02x", $0) }.joined() == Flasher.md5Hex(Array(expected))
      })
  }

  /// The whole partition as `fs download` reads it: the blocks that hold pages (from the lookup pages), the
  /// rest confirmed erased by one MD5 per free run; the estimate is announced first. The reader carries the
  /// cost for the caller's note.
  static func readBlocksInUse(_ flasher: Flasher, target: PartitionTarget,
                              events: @escaping WorkflowEvents) throws -> (data: [UInt8], reader: SPIFFSPartialReader) {
    var reader = reader(flasher: flasher, offset: target.offset, layout: target.preset.layout)
    let plan = try reader.downloadPlan()
    SPIFFSTransfer.announce(flasher.readEstimate(bytes: plan.reads.reduce(0) { $0 + $1.count }, reads: plan.reads.count,
                                                 md5Queries: plan.checks.count), events: events)
    let progress = TransferReporter("Reading \(Hex.address(target.offset))", total: target.size, events: events)
    defer { progress.finish() }
    let data = try reader.download(progress: progress.handler)
    progress.finish()  // ends the transfer before the caller's note; the defer covers a failed read
    return (data, reader)
  }

  /// The board's file list, read with only the lookup entries and the index headers.
  public static func list(_ target: PartitionTarget, connection: ConnectionSettings,
                          events: @escaping WorkflowEvents) throws -> (files: [ImageFileEntry], cost: Cost) {
    try withReader(target, connection: connection, events: events) { reader in
      try listing(&reader, target, events: events).entries().map(ImageFileEntry.init)
    }
  }

  /// One file of the board's partition (`name` as given, or with a leading `/`): the listing's reads plus
  /// that file's index and data pages.
  public static func file(named name: [UInt8], _ target: PartitionTarget, connection: ConnectionSettings,
                          events: @escaping WorkflowEvents) throws -> (data: [UInt8], cost: Cost) {
    try withReader(target, connection: connection, events: events) { reader in
      _ = try listing(&reader, target, events: events)
      let slashed = name.first == UInt8(ascii: "/") ? name : [UInt8(ascii: "/")] + name
      guard let found = try reader.file(named: name) ?? reader.file(named: slashed) else {
        throw SPIFFSReadError.fileNotFound(name: name)
      }
      return found.data
    }
  }

  static func withReader<T>(_ target: PartitionTarget, connection: ConnectionSettings, events: @escaping WorkflowEvents,
                            _ body: (inout SPIFFSPartialReader) throws -> T) throws -> (T, Cost) {
    let check = { (flasher: Flasher) throws in _ = try target.checkBoard(flasher, events: events) }
    return try DeviceSession.with(connection, events: events, check: check) { session in
      var reader = reader(flasher: session.flasher, offset: target.offset, layout: target.preset.layout)
      let value = try body(&reader)
      let cost = Cost(bytesRead: reader.bytesRead, reads: reader.reads, partitionSize: target.size)
      let share = Double(cost.bytesRead) * 100 / Double(max(cost.partitionSize, 1))
      events(.note("Read \(cost.bytesRead) of the partition's \(cost.partitionSize) bytes "
                   + "(\(String(format: "%.1f", share))%) in \(cost.reads) reads."))
      return (value, cost)
    }
  }

  /// The listing's reads, checked to mount as a file would be.
  static func listing(_ reader: inout SPIFFSPartialReader, _ target: PartitionTarget,
                      events: @escaping WorkflowEvents) throws -> SPIFFSImage {
    _ = try reader.listing()
    return try ImageMount.mount(reader.sparse.bytes, preset: target.preset, events: events)
  }

  static func describeChecks(_ reader: SPIFFSPartialReader) -> String {
    var text = "\(reader.checks) MD5 check\(reader.checks == 1 ? "" : "s") that the rest is erased"
    let n = reader.blocksNotErased
    if n > 0 { text += ", \(n) free block\(n == 1 ? " held data and was" : "s held data and were") read" }
    return text
  }
}

extension SPIFFSTransfer {
  /// Says how long a transfer will take, and what would make it faster, when that is more than a few seconds.
  static func announce(_ estimate: TransferEstimate, events: WorkflowEvents) {
    guard estimate.seconds >= TransferEstimate.worthSaying else { return }
    events(.note("This will take \(estimate.message)."))
  }

  /// "Sent 201728 of 1024000 bytes as data, erased 823296 without sending them; …"
  static func describe(_ result: SparseWriteResult) -> String {
    var line = "Sent \(result.writtenBytes) of \(result.size) bytes as data"
    if let compressed = result.compressedBytes { line += " (\(compressed) compressed)" }
    line += ", erased \(result.eraseOnlyBytes) without sending them"
    if result.compareQueries > 0 {
      line += "; \(result.unchangedBytes) bytes were already on the board (\(result.compareQueries) MD5 queries)"
    }
    return line + "."
  }
}
