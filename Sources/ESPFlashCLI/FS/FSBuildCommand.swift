import ArgumentParser
import Foundation
import SPIFFS

/// `--format compact|mkspiffs`.
enum FormatOption: String, ExpressibleByArgument, CaseIterable {
  case compact
  case mkspiffs
  var format: SPIFFSImageFormat { self == .compact ? .compact : .mkspiffs }
}

/// `fs build DATA_DIR -o OUT.bin`: the Arduino "Sketch Data Upload" image step, scriptable.
struct FSBuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract: "Build a SPIFFS image from a data folder.",
    discussion: """
      Files are packed in a defined order: each folder's entries sorted by name bytes, depth first (mkspiffs uses
      whatever order the OS returns). .DS_Store, .git, .gitignore and .gitmodules are skipped like mkspiffs does.
      Examples:
        espflash-swift fs build data -o data.spiffs.bin --layout 4M1M
        espflash-swift fs build data -o spiffs.bin --partitions partitions.csv --format mkspiffs
      """)

  @Argument(help: "The data folder (its contents become /…).")
  var dataDir: String

  @Option(name: [.short, .customLong("output")], help: "The image file to write.")
  var output: String

  @OptionGroup var layoutOptions: FSLayoutOptions

  @Option(help: "compact (valid SPIFFS, no wasted pages) or mkspiffs (byte-identical to mkspiffs for the same order).")
  var format: FormatOption = .compact

  @Option(help: "A file listing the SPIFFS paths in the order to pack them, one per line (e.g. mkspiffs' output).")
  var order: String?

  @Flag(help: "Also pack .DS_Store, .git, .gitignore and .gitmodules (mkspiffs -a).")
  var includeHidden = false

  @Flag(help: "Print the result as JSON on stdout.")
  var json = false

  func run() throws {
    guard let preset = try layoutOptions.resolvePreset(requireComplete: true) else { return }
    let layout = preset.layout
    try layout.validate()
    let walk = try FolderIO.walk(dataDir, includeHidden: includeHidden)
    for skipped in walk.skipped { FSOutput.note("skipping \(skipped.path): \(skipped.reason)") }
    var files = walk.files
    if let order {
      guard let text = try? String(contentsOfFile: order, encoding: .utf8) else {
        throw CLIError("cannot read order file \(order)", status: .noInput)
      }
      files = try FolderIO.applyOrder(files, orderText: text, orderPath: order)
    }
    if files.isEmpty { FSOutput.note("warning: \(dataDir) has no files to pack; the image will be empty") }

    let tooLong = files.filter { $0.spiffsName.count > layout.maxNameBytes }
    guard tooLong.isEmpty else {
      throw SPIFFSBuildError.namesTooLong(tooLong.map { .init(name: $0.displayName, length: $0.spiffsName.count) },
                                          limit: layout.maxNameBytes)
    }
    // Refuse before reading anything when the data alone is larger than every page of the image.
    let pagesNeeded = files.reduce(0) { $0 + layout.pagesNeeded(forFileOfSize: $1.size) }
    let usablePages = layout.objectPagesPerBlock * max(0, layout.blockCount - 2)
    if pagesNeeded > usablePages {
      let blocks = (pagesNeeded + layout.objectPagesPerBlock - 1) / layout.objectPagesPerBlock + 2
      throw FSDoesNotFit(neededBytes: blocks * layout.blockSize, capacityBytes: layout.imageSize,
                         failedAt: nil, preset: preset, format: format.format)
    }
    var spiffsFiles: [SPIFFSFile] = []
    for file in files {
      guard let data = FileManager.default.contents(atPath: file.hostPath) else {
        throw CLIError("cannot read \(file.hostPath)", status: .noInput)
      }
      spiffsFiles.append(SPIFFSFile(nameBytes: file.spiffsName, contents: [UInt8](data)))
    }
    let result: SPIFFSBuildResult
    do {
      result = try SPIFFSBuilder(layout: layout, format: format.format).build(spiffsFiles)
    } catch {
      if case .doesNotFit(let needed, let capacity, let failedAt) = error {
        throw FSDoesNotFit(neededBytes: needed, capacityBytes: capacity, failedAt: failedAt, preset: preset, format: format.format)
      }
      throw error
    }
    try FSOutput.writeAtomically(result.image, to: output)
    try report(result, preset: preset, files: files, skipped: walk.skipped.map(\.path))
  }

  private func report(_ result: SPIFFSBuildResult, preset: SPIFFSLayoutPreset, files: [FolderFile],
                      skipped: [String]) throws {
    let usage = (try? SPIFFSImage(bytes: result.image, layout: result.layout))?.usage()
    let offset = preset.name == "custom" ? nil : preset.flashOffset
    if json {
      try FSOutput.json(BuildJSON(
        output: output, data: dataDir, layout: preset.name, platform: preset.platform.rawValue,
        format: result.format.rawValue, imageSize: result.layout.imageSize, blockSize: result.layout.blockSize,
        pageSize: result.layout.pageSize, flashOffset: offset,
        files: zip(files, result.objectIDs + Array(repeating: 0, count: max(0, files.count - result.objectIDs.count)))
          .map { .init(name: $0.0.displayName, size: $0.0.size, objectID: Int($0.1)) },
        usedPages: result.usedPages, deletedPages: result.deletedPages, freePages: result.freePages,
        dataBytes: result.dataBytes, freeBytes: usage?.freeBytes, largestNewFile: usage?.largestNewFile,
        garbageCollections: result.garbageCollections, skipped: skipped))
    } else {
      for file in files { FSOutput.print(file.displayName) }
    }
    let kib = result.layout.imageSize / 1024
    FSOutput.note("[SPIFFS] data    : \(dataDir)")
    FSOutput.note("[SPIFFS] layout  : \(preset.name) (\(preset.platform), \(result.format.rawValue) format)")
    FSOutput.note("[SPIFFS] size    : \(kib) KiB (\(result.layout.imageSize) bytes)")
    FSOutput.note("[SPIFFS] page    : \(result.layout.pageSize)")
    FSOutput.note("[SPIFFS] block   : \(result.layout.blockSize)")
    FSOutput.note("[SPIFFS] offset  : " + (offset.map(ByteSize.hex) ?? "n/a (custom layout; flash it at your partition's offset)"))
    FSOutput.note("[SPIFFS] image   : \(output)")
    var used = "[SPIFFS] used    : \(files.count) files, \(result.dataBytes) bytes in \(result.usedPages) pages"
    if result.deletedPages > 0 { used += " (+\(result.deletedPages) deleted)" }
    FSOutput.note(used)
    if let usage {
      FSOutput.note("[SPIFFS] free    : \(usage.freeBytes) bytes (largest new file \(usage.largestNewFile) bytes)")
    }
    if let offset {
      FSOutput.note("flash it with: espflash-swift write-flash \(ByteSize.hex(offset)) \(output)")
    }
  }
}

/// Files that do not fit, with a preset of the same platform that would hold them.
struct FSDoesNotFit: ReportableError {
  var neededBytes: Int
  var capacityBytes: Int
  var failedAt: String?
  var preset: SPIFFSLayoutPreset
  var format: SPIFFSImageFormat

  var message: String {
    "the files do not fit \(preset.name == "custom" ? "the image" : preset.name): they need about \(neededBytes) bytes "
      + "(\(ByteSize.human(neededBytes))), the image holds \(capacityBytes) (\(ByteSize.human(capacityBytes)))"
      + (failedAt.map { "; full while adding \($0)" } ?? "")
  }

  var hint: String? {
    var parts: [String] = []
    // Prefer a layout for the same flash chip; otherwise the smallest one of the platform.
    let sameChip = SPIFFSLayoutPresets.all.filter {
      $0.flashSize != nil && $0.flashSize == preset.flashSize && !$0.name.contains("@")
        && ($0.platform == .esp8266) == (preset.platform == .esp8266) && $0.imageSize >= neededBytes
    }.min { $0.imageSize < $1.imageSize }
    if let larger = sameChip ?? SPIFFSLayoutPresets.smallestHolding(bytes: neededBytes, platform: preset.platform) {
      parts.append("--layout \(larger.name) (\(ByteSize.human(larger.imageSize)) at \(ByteSize.hex(larger.flashOffset))) would hold them")
    }
    if format == .mkspiffs { parts.append("--format compact avoids mkspiffs' wasted pages") }
    parts.append("no image was written")
    return parts.joined(separator: "; ")
  }

  var exitStatus: ExitStatus { .dataError }
}

private struct BuildJSON: Encodable {
  struct File: Encodable { var name: String; var size: Int; var objectID: Int }
  var output: String
  var data: String
  var layout: String
  var platform: String
  var format: String
  var imageSize: Int
  var blockSize: Int
  var pageSize: Int
  var flashOffset: Int?
  var files: [File]
  var usedPages: Int
  var deletedPages: Int
  var freePages: Int
  var dataBytes: Int
  var freeBytes: Int?
  var largestNewFile: Int?
  var garbageCollections: Int
  var skipped: [String]
}
