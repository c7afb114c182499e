import ArgumentParser
import Foundation
import SPIFFS

/// `fs check IMAGE`: structural consistency, read-only.
struct FSCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a SPIFFS image for inconsistencies (exit 65 when errors are found).",
    discussion: "Warnings are what SPIFFS itself tolerates or repairs silently; errors lose or garble data.")

  @OptionGroup var source: FSImageOptions

  @Flag(help: "Print the report as JSON on stdout.")
  var json = false

  func run() throws {
    let (image, _, _) = try source.open()
    let report = image.check()
    if json {
      try FSOutput.json(CheckJSON(report))
    } else {
      for problem in report.problems { FSOutput.print(problem.description) }
      FSOutput.print("\(report.errors.count) error(s), \(report.warnings.count) warning(s) in \(report.filesChecked) "
        + "files and \(report.pagesChecked) pages (\(FSImageOptions.describe(report.layout)))")
    }
    if !report.isConsistent { throw ExitCode(ExitStatus.dataError.rawValue) }
  }
}

private struct CheckJSON: Encodable {
  struct Problem: Encodable {
    var severity: String, kind: String, block: Int?, page: Int?, objectID: Int?, message: String
  }
  var consistent: Bool
  var errors: Int
  var warnings: Int
  var filesChecked: Int
  var pagesChecked: Int
  var problems: [Problem]

  init(_ report: SPIFFSCheckReport) {
    consistent = report.isConsistent
    errors = report.errors.count
    warnings = report.warnings.count
    filesChecked = report.filesChecked
    pagesChecked = report.pagesChecked
    problems = report.problems.map {
      Problem(severity: $0.severity.rawValue, kind: $0.kind.rawValue, block: $0.block, page: $0.page,
              objectID: $0.objectID.map(Int.init), message: $0.message)
    }
  }
}

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
    let name = preset?.name ?? FSImageOptions.matchingPreset(layout)?.name
    if json {
      try FSOutput.json(InfoJSON(
        layout: name, platform: layout.platform?.rawValue ?? "custom", imageSize: layout.imageSize,
        blockSize: layout.blockSize, pageSize: layout.pageSize, blocks: u.blockCount, pagesPerBlock: u.pagesPerBlock,
        objectPages: u.objectPages, usedPages: u.usedPages, deletedPages: u.deletedPages, freePages: u.freePages,
        freeBlocks: u.freeBlocks, totalBytes: u.totalBytes, usedBytes: u.usedBytes, freeBytes: u.freeBytes,
        files: u.fileCount, fileBytes: u.fileBytes, largestNewFile: u.largestNewFile,
        largestNewFileAfterGC: u.largestNewFileAfterGC, eraseCountMin: u.eraseCountMin,
        eraseCountMax: u.eraseCountMax, badMagicBlocks: u.badMagicBlocks))
      return
    }
    FSOutput.print("layout        \(FSImageOptions.describe(layout))")
    FSOutput.print("blocks        \(u.blockCount) × \(layout.blockSize) bytes, \(u.pagesPerBlock) pages each (\(u.lookupPagesPerBlock) lookup)")
    FSOutput.print("pages         \(u.objectPages): \(u.usedPages) used, \(u.deletedPages) deleted, \(u.freePages) free (\(u.freeBlocks) blocks untouched)")
    FSOutput.print("files         \(u.fileCount), \(u.fileBytes) bytes")
    FSOutput.print("space         \(u.usedBytes) of \(u.totalBytes) bytes used (SPIFFS_info), \(u.freeBytes) free")
    FSOutput.print("largest new   \(u.largestNewFile) bytes now, \(u.largestNewFileAfterGC) after GC reclaims deleted pages")
    let wear = u.eraseCountMin.map { "\($0) … \(u.eraseCountMax ?? $0)" } ?? "none recorded"
    FSOutput.print("erase counts  \(wear)")
    if !u.badMagicBlocks.isEmpty {
      FSOutput.print("bad magic     blocks \(u.badMagicBlocks.map(String.init).joined(separator: ", "))")
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

/// `fs layouts`: every built-in preset.
struct FSLayoutsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "layouts", abstract: "List the built-in layout presets (ESP8266 cores, ESP32 partition tables).")

  @Flag(help: "Print as JSON on stdout.")
  var json = false

  func run() throws {
    let presets = SPIFFSLayoutPresets.all
    if json {
      try FSOutput.json(presets.map {
        LayoutJSON(name: $0.name, aliases: $0.aliases, platform: $0.platform.rawValue, flashSize: $0.flashSize,
                   flashOffset: $0.flashOffset, size: $0.imageSize, block: $0.blockSize, page: $0.pageSize, notes: $0.notes)
      })
      return
    }
    FSOutput.print(FSOutput.rightPad("name", 26) + FSOutput.rightPad("platform", 10) + FSOutput.pad("offset", 10)
      + FSOutput.pad("size", 11) + FSOutput.pad("block", 7) + FSOutput.pad("page", 6) + "  notes")
    for p in presets {
      FSOutput.print(FSOutput.rightPad(p.name, 26) + FSOutput.rightPad(p.platform.rawValue, 10)
        + FSOutput.pad(ByteSize.hex(p.flashOffset), 10) + FSOutput.pad(ByteSize.hex(p.imageSize), 11)
        + FSOutput.pad(String(p.blockSize), 7) + FSOutput.pad(String(p.pageSize), 6) + "  " + p.notes)
    }
  }
}

private struct LayoutJSON: Encodable {
  var name: String, aliases: [String], platform: String, flashSize: Int?, flashOffset: Int, size: Int, block: Int
  var page: Int, notes: String
}
