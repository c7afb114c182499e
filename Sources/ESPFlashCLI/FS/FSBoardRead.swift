import Foundation
import ESPLoader
import SPIFFS

/// `fs ls --port` / `fs cat --port`: the same answers as from an image file, read from the board's
/// partition with only the pages they need (`BoardSPIFFSRead`).
enum FSBoardRead {
  /// Connects, checks the layout suits the board, and runs `body` with a partial reader of the partition.
  static func withPartition<T>(_ connection: ConnectionOptions, layoutOptions: FSLayoutOptions, offset: ByteSize?,
                               _ body: (inout SPIFFSPartialReader, FSPartitionTarget) throws -> T) throws -> T {
    guard let preset = try layoutOptions.resolvePreset(requireComplete: true) else {
      throw CLIError("a layout is needed to read a board's file system", status: .usage)
    }
    let target = try FSPartitionTarget.resolve(preset: preset, offset: offset)
    if let chip = connection.chip.chip { try target.checkPlatform(chip: chip, flashSize: nil) }
    return try DeviceSession.with(connection) { session in
      _ = try target.checkBoard(session.flasher)
      var reader = BoardSPIFFSRead.reader(flasher: session.flasher, offset: target.offset, layout: preset.layout)
      let result = try body(&reader, target)
      let share = Double(reader.bytesRead) * 100 / Double(max(target.size, 1))
      FSOutput.note("Read \(reader.bytesRead) of the partition's \(target.size) bytes "
                    + "(\(String(format: "%.1f", share))%) in \(reader.reads) reads.")
      return result
    }
  }

  /// The listing, checked to mount like a file would be.
  static func listing(_ reader: inout SPIFFSPartialReader, _ target: FSPartitionTarget) throws -> SPIFFSImage {
    _ = try reader.listing()
    return try FSImageOptions.mount(reader.sparse.bytes, preset: target.preset)
  }

  static func announce(_ estimate: TransferEstimate) {
    guard estimate.seconds >= TransferEstimate.worthSaying else { return }
    DeviceSession.note("This will take \(estimate.message).")
  }

  static func describeSkips(_ reader: SPIFFSPartialReader) -> String {
    var text = "\(reader.checks) MD5 check\(reader.checks == 1 ? "" : "s") that the rest is erased"
    let n = reader.blocksNotErased
    if n > 0 { text += ", \(n) free block\(n == 1 ? " held data and was" : "s held data and were") read" }
    return text
  }
}
