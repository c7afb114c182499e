import ESPLoader
import Foundation
import SPIFFS

/// Putting a built image on a board's file system partition, and reading the partition back.
public enum SPIFFSTransfer {
  /// Connects, refuses a board the layout does not suit (before the stub upload or the baud change), makes
  /// the partition equal the image sending only what must change (`Flasher.writeSparse`: regions the board
  /// holds are skipped by MD5 unless `skipUnchanged` is false, blank parts erased without data) and verifies
  /// it by MD5 where the loader can.
  public static func upload(_ built: ImagePipeline.Output, dataDir: String, to target: PartitionTarget,
                            connection: ConnectionSettings, skipUnchanged: Bool = true,
                            events: @escaping WorkflowEvents) throws -> UploadResult {
    try upload(PartitionImage(built), dataDir: dataDir, to: target, connection: connection,
               skipUnchanged: skipUnchanged, events: events)
  }

  /// The same for any built image (SPIFFS or LittleFS).
  public static func upload(_ built: PartitionImage, dataDir: String, to target: PartitionTarget,
                            connection: ConnectionSettings, skipUnchanged: Bool = true,
                            events: @escaping WorkflowEvents) throws -> UploadResult {
    var flashSize = 0
    let check = { (flasher: Flasher) throws in flashSize = try target.checkBoard(flasher, events: events) }
    var (result, wire) = try DeviceSession.with(connection, events: events, check: check) { session in
      (try write(built, dataDir: dataDir, to: target, flashSize: flashSize, skipUnchanged: skipUnchanged,
                 session: session, events: events),
       session.statistics)
    }
    // The statistics of the finished session: taken again after the reset would change nothing but the time.
    result.wire = wire
    return result
  }

  static func write(_ built: ImagePipeline.Output, dataDir: String, to target: PartitionTarget, flashSize: Int,
                    skipUnchanged: Bool = true, session: DeviceSession,
                    events: @escaping WorkflowEvents) throws -> UploadResult {
    try write(PartitionImage(built), dataDir: dataDir, to: target, flashSize: flashSize,
              skipUnchanged: skipUnchanged, session: session, events: events)
  }

  static func write(_ built: PartitionImage, dataDir: String, to target: PartitionTarget, flashSize: Int,
                    skipUnchanged: Bool = true, session: DeviceSession,
                    events: @escaping WorkflowEvents) throws -> UploadResult {
    let flasher = session.flasher
    let image = built.image
    // The whole partition must end up equal to the image, even for a compact image whose tail is unused.
    // SPIFFS takes a page for free only while its lookup entry is 0xFFFF and its bytes are 0xFF
    // (spiffs-format.md §1.2: "free, never written since the last erase"). Leaving the previous file
    // system's pages in the tail would make the board mount a mix of old and new objects. The blank tail is
    // erased, not sent (`WritePlan`), so it costs erase time only, on every loader.
    let progress = TransferReporter("Writing \(Hex.address(target.offset))", total: image.count, events: events)
    let start = Date()
    let sparse: SparseWriteResult
    do {
      defer { progress.finish() }
      sparse = try flasher.writeSparse(image, at: UInt32(target.offset),
                                       options: SparseWriteOptions(skipUnchanged: skipUnchanged),
                                       estimate: { announce($0, events: events) }, progress: progress.handler)
    }
    let written = sparse.asWriteResult
    let seconds = Date().timeIntervalSince(start)
    var result = UploadResult(
      data: dataDir, layout: target.preset.name, platform: target.preset.platform.rawValue,
      format: built.format, address: Hex.json(target.offset), size: written.dataSize,
      chip: flasher.chip.rawValue, loader: flasher.loaderName, flashSize: flashSize,
      files: built.files, dataBytes: built.dataBytes,
      output: nil, compressedSize: written.compressedSize, verified: false, md5: Flasher.md5Hex(image),
      notVerifiedReason: nil, seconds: (seconds * 1000).rounded() / 1000, wire: nil,
      sentBytes: sparse.writtenBytes, erasedWithoutData: sparse.eraseOnlyBytes, unchangedBytes: sparse.unchangedBytes,
      md5Queries: sparse.compareQueries)
    if case .notVerified(let reason) = written.verification { result.notVerifiedReason = reason } else { result.verified = true }
    // Said before the reset and the statistics.
    events(.note(describe(sparse)))
    events(.note(FlashJobs.writtenLine(written, seconds: seconds) + "."))
    if !result.verified, flasher.chip == .esp8266 {
      events(.note("To verify: install esptool (its flasher stub is found automatically) or pass --stub PATH; "
                   + "with the stub, `espflash-swift fs download` also reads the partition back."))
    }
    return result
  }

  /// Connects, makes the same checks as `upload`, and reads the partition: the blocks that hold pages
  /// (known from the lookup pages), the rest confirmed erased by one MD5 per run of free blocks
  /// (`SPIFFSPartialReader`), so the bytes equal the board's.
  public static func download(_ target: PartitionTarget, connection: ConnectionSettings,
                              events: @escaping WorkflowEvents) throws -> DownloadResult {
    let check = { (flasher: Flasher) throws in _ = try target.checkBoard(flasher, events: events) }
    return try DeviceSession.with(connection, events: events, check: check) { session in
      let flasher = session.flasher
      // The ESP8266 ROM's refusal (LoaderError.unsupported) goes on as it is: it names the stub as the remedy.
      let (data, reader) = try SPIFFSBoardRead.readBlocksInUse(flasher, target: target, events: events)
      let md5 = Flasher.md5Hex(data)
      events(.note("Read \(reader.bytesRead) of \(data.count) bytes of \(target.describe) from the \(flasher.chip) "
                   + "(\(reader.sparse.blocksInUse.count) of \(target.preset.layout.blockCount) blocks in use; "
                   + SPIFFSBoardRead.describeChecks(reader) + "; MD5 \(md5))."))
      return DownloadResult(layout: target.preset.name, platform: target.preset.platform.rawValue,
                            address: Hex.json(target.offset), size: data.count, chip: flasher.chip.rawValue, md5: md5,
                            wire: session.statistics, bytes: data)
    }
  }

  /// The files of a downloaded (or any) partition, mounted with the target's layout.
  public static func list(_ bytes: [UInt8], preset: SPIFFSLayoutPreset,
                          events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> [ImageFileEntry] {
    try ImageMount.mount(bytes, preset: preset, events: events).entries().map(ImageFileEntry.init)
  }
}
