import ESPLoader
import Foundation
import SPIFFS

/// A `SPIFFSPartialReader` of the partition at `offset` on a connected board: READ_FLASH (stub) or
/// READ_FLASH_SLOW (ESP32-family ROM) to read, SPI_FLASH_MD5 to confirm skipped runs are erased (issue 9 §3).
enum BoardSPIFFSRead {
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

  /// `fs download`: the partition, announced first when the read will take more than a few seconds.
  static func download(_ reader: inout SPIFFSPartialReader, flasher: Flasher,
                       progress: ProgressHandler?) throws -> [UInt8] {
    let plan = try reader.downloadPlan()
    FSBoardRead.announce(flasher.readEstimate(bytes: plan.reads.reduce(0) { $0 + $1.count }, reads: plan.reads.count,
                                              md5Queries: plan.checks.count))
    return try reader.download(progress: progress)
  }
}
