import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs info IMAGE`: geometry, space and wear.
struct FSInfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info", abstract: "Show a SPIFFS or LittleFS image's layout, space used and free.")

  @OptionGroup var source: FSImageOptions

  @Flag(help: "Print as JSON on stdout.")
  var json = false

  func run() throws {
    let image: SPIFFSImage, preset: SPIFFSLayoutPreset?
    switch try source.openAny() {
    case .littlefs(let littlefs): return try LittleFSRendering.info(littlefs, json: json)
    case .spiffs(let spiffs, let known): (image, preset) = (spiffs, known)
    }
    let u = image.usage()
    let layout = image.layout
    if json {
      try Console.json(ImageInfoReport(image, presetName: preset?.name))
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
