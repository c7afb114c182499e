import ArgumentParser
import Credentials
import Foundation
import SPIFFS

/// `fs build DATA_DIR -o OUT.bin`: the Arduino "Sketch Data Upload" image step, scriptable.
struct FSBuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract: "Build a SPIFFS image from a data folder.",
    discussion: """
      Files are packed in a defined order: each folder's entries sorted by name bytes, depth first (mkspiffs uses \
      whatever order the OS returns). .DS_Store, .git, .gitignore and .gitmodules are skipped like mkspiffs does. \
      Certificates and keys in the folder are checked like `certs check` (for the layout's platform, or \
      --cert-target): errors stop the build with exit 65 before an image is written, warnings are printed. \
      --der stores PEM certificates/keys as DER, --rename FROM=TO picks stored names; the folder is not changed.
      Examples:
        espflash-swift fs build data -o data.spiffs.bin --layout 4M1M
        espflash-swift fs build data -o spiffs.bin --partitions partitions.csv \\
          --format mkspiffs
        espflash-swift fs build data -o data.spiffs.bin --layout 4M1M --der \\
          --rename cert.pem.crt=cert.der
        espflash-swift fs build MySketch -o spiffs.bin --fqbn \\
          esp8266:esp8266:nodemcuv2
      """)

  @Argument(help: "The data folder (its contents become /…), or a sketch folder (its data/ is packed).")
  var dataDir: String

  @Option(name: [.short, .customLong("output")], help: "The image file to write.")
  var output: String

  @OptionGroup var layoutOptions: FSLayoutOptions

  @OptionGroup var packing: FSPackingOptions

  @Flag(help: "Print the result as JSON on stdout.")
  var json = false

  @OptionGroup(title: "Certificates and keys") var credentialOptions: FSCredentialOptions

  func run() throws {
    let project = try ProjectContext.resolve(dataArgument: dataDir, layout: layoutOptions)
    let preset = try project.requirePreset()
    var resolved = self
    resolved.dataDir = project.dataDir
    try resolved.build(preset: preset)
  }

  private func build(preset: SPIFFSLayoutPreset) throws {
    let options = packing.pipelineOptions(dataDir: dataDir, preset: preset,
                                          credentials: try credentialOptions.handling())
    let built = try ImagePipeline(options: options).run()
    try FSOutput.writeAtomically(built.result.image, to: output)
    try report(built, preset: preset)
  }

  private func report(_ built: ImagePipeline.Output, preset: SPIFFSLayoutPreset) throws {
    let (result, files, skipped) = (built.result, built.files, built.skipped)
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
        garbageCollections: result.garbageCollections, skipped: skipped,
        conversions: BuildJSON.conversions(files), certCheck: built.check.map(BuildJSON.CertCheck.init)))
    } else {
      for file in files { FSOutput.print(file.displayName) }
    }
    for line in Self.summaryNotes(built, dataDir: dataDir, preset: preset, offset: offset, image: output, usage: usage) {
      FSOutput.note(line)
    }
    if let offset {
      FSOutput.note("flash it with: espflash-swift write-flash \(ByteSize.hex(offset)) \(output)")
    }
  }
}

extension FSBuildCommand {
  /// The `[SPIFFS] …` lines (stderr) describing a built image, shared with `fs upload` so both read alike.
  /// `offset` nil: a custom layout without a flash address; `image` nil: the image was not saved.
  static func summaryNotes(_ built: ImagePipeline.Output, dataDir: String, preset: SPIFFSLayoutPreset, offset: Int?,
                           image: String?, usage: SPIFFSUsage?) -> [String] {
    let result = built.result
    var lines = parameterNotes(dataDir: dataDir, preset: preset, format: result.format, offset: offset)
    if let image { lines.append("[SPIFFS] image   : \(image)") }
    var used = "[SPIFFS] used    : \(built.files.count) files, \(result.dataBytes) bytes in \(result.usedPages) pages"
    if result.deletedPages > 0 { used += " (+\(result.deletedPages) deleted)" }
    lines.append(used)
    if let usage {
      lines.append("[SPIFFS] free    : \(usage.freeBytes) bytes (largest new file \(usage.largestNewFile) bytes)")
    }
    return lines
  }
}

extension FSBuildCommand {
  /// The image parameters every building command prints first (`fs provision` prints only these, once).
  static func parameterNotes(dataDir: String, preset: SPIFFSLayoutPreset, format: SPIFFSImageFormat,
                             offset: Int?) -> [String] {
    let layout = preset.layout
    return [
      "[SPIFFS] data    : \(dataDir)",
      "[SPIFFS] layout  : \(preset.name) (\(preset.platform), \(format.rawValue) format)",
      "[SPIFFS] size    : \(layout.imageSize / 1024) KiB (\(layout.imageSize) bytes)",
      "[SPIFFS] page    : \(layout.pageSize)",
      "[SPIFFS] block   : \(layout.blockSize)",
      "[SPIFFS] offset  : " + (offset.map(ByteSize.hex) ?? "n/a (custom layout; flash it at your partition's offset)"),
    ]
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
  /// Only present when --der or --rename changed a file.
  var conversions: [Conversion]?
  /// Only present when credentials were checked.
  var certCheck: CertCheck?

  struct Conversion: Encodable { var from: String; var to: String; var change: ImagePipeline.Change; var size: Int }

  struct CertCheck: Encodable {
    var target: String
    var endpoint: String?
    var files: [String]
    var errors: Int
    var warnings: Int
    var findings: [Finding]

    init(_ outcome: ImagePipeline.CheckOutcome) {
      target = outcome.target.rawValue
      endpoint = outcome.endpoint
      files = outcome.checkedFiles
      errors = outcome.errorCount
      warnings = outcome.warningCount
      findings = outcome.findings
    }
  }

  static func conversions(_ files: [ImagePipeline.StoredFile]) -> [Conversion]? {
    let changed = files.compactMap { file in
      file.change.map {
        Conversion(from: ImagePipeline.relativeName(file.source.spiffsName), to: file.displayName, change: $0, size: file.size)
      }
    }
    return changed.isEmpty ? nil : changed
  }
}
