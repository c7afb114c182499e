import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs info IMAGE`: geometry, space and wear.
struct FSInfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info", abstract: "Show a SPIFFS image's layout, space used and free, and erase counts.")

  @OptionGroup var source: FSImageOptions

  @Flag(help: "Print as JSON on stdout.")
  var json = false

  func run() throws {
    let (image, preset, _) = try source.open()
    let u = image.usage()
    let layout = image.layout
    let name = preset?.name ?? ImageMount.matchingPreset(layout)?.name
    if json {
      try Console.json(InfoJSON(
        layout: name, platform: layout.platform?.rawValue ?? SPIFFSLayoutPreset.customName, imageSize: layout.imageSize,
        blockSize: layout.blockSize, pageSize: layout.pageSize, blocks: u.blockCount, pagesPerBlock: u.pagesPerBlock,
        objectPages: u.objectPages, usedPages: u.usedPages, deletedPages: u.deletedPages, freePages: u.freePages,
        freeBlocks: u.freeBlocks, totalBytes: u.totalBytes, usedBytes: u.usedBytes, freeBytes: u.freeBytes,
        files: u.fileCount, fileBytes: u.fileBytes, largestNewFile: u.largestNewFile,
        largestNewFileAfterGC: u.largestNewFileAfterGC, eraseCountMin: u.eraseCountMin,
        eraseCountMax: u.eraseCountMax, badMagicBlocks: u.badMagicBlocks))
      return
    }
    Console.print("layout        \(ImageMount.describe(layout))")
    Console.print("blocks        \(u.blockCount) × \(layout.blockSize) bytes, \(u.pagesPerBlock) pages each (\(u.lookupPagesPerBlock) lookup)")
    Console.print("pages         \(u.objectPages): \(u.usedPages) used, \(u.deletedPages) deleted, \(u.freePages) free (\(u.freeBlocks) blocks untouched)")
    Console.print("files         \(u.fileCount), \(u.fileBytes) bytes")
    Console.print("space         \(u.usedBytes) of \(u.totalBytes) bytes used (SPIFFS_info), \(u.freeBytes) free")
    Console.print("largest new   \(u.largestNewFile) bytes now, \(u.largestNewFileAfterGC) after GC reclaims deleted pages")
    let wear = u.eraseCountMin.map { "\($0) … \(u.eraseCountMax ?? $0)" } ?? "none recorded"
    Console.print("erase counts  \(wear)")
    if !u.badMagicBlocks.isEmpty {
      Console.print("bad magic     blocks \(u.badMagicBlocks.map(String.init).joined(separator: ", "))")
    }
  }
}

private struct InfoJSON: Encodable {
  var layout: String?
  var platform: String
  var imageSize: Int, blockSize: Int, pageSize: Int, blocks: Int, pagesPerBlock: Int
  var objectPages: Int, usedPages: Int, deletedPages: Int, freePages: Int, freeBlocks: Int
  var totalBytes: Int, usedBytes: Int, freeBytes: Int, files: Int, fileBytes: Int
  var largestNewFile: Int, largestNewFileAfterGC: Int
  var eraseCountMin: Int?, eraseCountMax: Int?
  var badMagicBlocks: [Int]
}
