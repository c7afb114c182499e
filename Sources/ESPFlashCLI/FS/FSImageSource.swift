import ArgumentParser
import Foundation
import SPIFFS

/// The image argument of the reader commands and how its layout is found.
struct FSImageOptions: ParsableArguments {
  @Argument(help: "A SPIFFS image file (or a whole-flash dump with --offset or a preset).")
  var image: String?

  @Option(help: "Where the file system starts inside IMAGE (for a whole-flash dump, e.g. from read-flash).")
  var offset: ByteSize?

  @OptionGroup var layoutOptions: FSLayoutOptions

  /// Largest file read as an image: SPIFFS page indexes are 16 bits, so no layout needs more than this.
  static let maximumImageBytes = 256 << 20

  /// Reads the image, settles the layout (given or detected) and refuses what SPIFFS would not mount.
  func open() throws -> (image: SPIFFSImage, preset: SPIFFSLayoutPreset?, detected: LayoutCandidate?) {
    guard let image else {
      throw CLIError("no image file given", hint: "name a SPIFFS image file, or --port PORT with --layout to read a board",
                     status: .usage)
    }
    var bytes = try Self.readFile(image)
    let preset = try layoutOptions.resolvePreset(requireComplete: false)
    if let offset {
      guard offset.value < bytes.count else {
        throw CLIError("--offset \(offset) is past the end of the \(bytes.count)-byte file", status: .usage)
      }
      let length = min(bytes.count - offset.value, preset?.imageSize ?? Int.max)
      bytes = Array(bytes[offset.value..<offset.value + length])
    } else if let p = preset, let flash = p.flashSize, bytes.count == flash, flash > p.imageSize,
              p.flashOffset + p.imageSize <= flash {
      // A whole-flash dump of a board with this layout: the file system is at the preset's offset.
      FSOutput.note("\(image) is a whole \(ByteSize.human(flash)) flash dump; "
        + "reading the file system at \(ByteSize.hex(p.flashOffset)) (\(p.name))")
      bytes = Array(bytes[p.flashOffset..<p.flashOffset + p.imageSize])
    }
    if let known = preset {
      return (try Self.mount(bytes, preset: known), known, nil)
    }
    // Detection, narrowed by whatever was given.
    let opts = layoutOptions
    let platforms: [SPIFFSLayout.Platform] = opts.platform.map { [$0.platform == .espIDF ? .esp32 : $0.platform] }
      ?? SPIFFSLayoutDetector.platforms
    let blocks = opts.block.map { [$0.value] } ?? SPIFFSLayoutDetector.blockSizes
    let size = opts.size?.value ?? bytes.count
    guard size <= bytes.count else {
      throw SPIFFSReadError.truncated(imageBytes: bytes.count, neededBytes: size,
        layout: SPIFFSLayout(platform: platforms[0], imageSize: size, blockSize: blocks[0]))
    }
    let found = try SPIFFSLayoutDetector.detect(bytes, imageSize: size, platforms: platforms, blockSizes: blocks,
                                                pageSize: opts.page?.value ?? 256)
    var layout = found.layout
    if opts.platform == .espIDF { layout = SPIFFSLayout(platform: .espIDF, imageSize: size, blockSize: layout.blockSize) }
    let spiffs = try SPIFFSImage(bytes: bytes, layout: layout)
    if found.matchingBlocks < layout.blockCount, let block = spiffs.blocksWithBadMagic().first {
      FSOutput.note("warning: block \(block) has no magic; a device treats it as an interrupted erase and erases it at mount")
    }
    FSOutput.note("layout: \(Self.describe(layout)) (detected: magic in \(found.matchingBlocks) of \(layout.blockCount) blocks)")
    return (spiffs, nil, found)
  }

  static func describe(_ layout: SPIFFSLayout) -> String {
    let platform = layout.platform.map { $0 == .esp32 ? "esp32/esp-idf" : $0.rawValue } ?? "custom"
    var text = "\(platform), size \(ByteSize.hex(layout.imageSize)), block \(layout.blockSize), page \(layout.pageSize)"
    let names = matchingPresets(layout).filter { !$0.name.contains("@") }.map(\.name)
    if !names.isEmpty { text += " (= " + names.prefix(4).joined(separator: ", ") + ")" }
    return text
  }

  /// Presets with exactly this on-flash format and geometry (ESP-IDF and ESP32 store the same format).
  static func matchingPresets(_ layout: SPIFFSLayout) -> [SPIFFSLayoutPreset] {
    SPIFFSLayoutPresets.all.filter {
      $0.imageSize == layout.imageSize && $0.blockSize == layout.blockSize && $0.pageSize == layout.pageSize
        && ($0.platform == .esp8266) == (layout.platform == .esp8266)
    }
  }

  static func matchingPreset(_ layout: SPIFFSLayout) -> SPIFFSLayoutPreset? { matchingPresets(layout).first }

  /// Opens bytes whose layout is known (a file, or a partition read from a board) and checks that SPIFFS
  /// would mount them.
  static func mount(_ bytes: [UInt8], preset known: SPIFFSLayoutPreset) throws -> SPIFFSImage {
    if bytes.count > known.imageSize {
      FSOutput.note("image is \(bytes.count) bytes, layout \(known.name) \(known.imageSize); reading the first \(known.imageSize)")
    }
    let spiffs = try SPIFFSImage(bytes: bytes, layout: known.layout)
    try mountOrExplain(spiffs, bytes: bytes)
    return spiffs
  }

  /// Throws a layout-mismatch error whose hint names the layout the magic does match, if any.
  private static func mountOrExplain(_ spiffs: SPIFFSImage, bytes: [UInt8]) throws {
    do {
      try spiffs.mount()
      if let block = spiffs.blocksWithBadMagic().first {
        FSOutput.note("warning: block \(block) has no magic; a device treats it as an interrupted erase and erases it at mount")
      }
    } catch {
      guard case .notAFileSystem = error else { throw error }
      let detected = (try? SPIFFSLayoutDetector.detect(bytes))
        ?? (try? SPIFFSLayoutDetector.detect(bytes, imageSize: spiffs.layout.imageSize))
      throw FSLayoutMismatch(error: error, detected: detected)
    }
  }

  /// Reads a whole input file; 66 when it is missing.
  static func readFile(_ path: String) throws -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CLIError("no such file: \(path)", status: .noInput)
    }
    guard !isDirectory.boolValue else { throw CLIError("\(path) is a directory, not an image file", status: .noInput) }
    let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    let attributes = try? FileManager.default.attributesOfItem(atPath: resolved)
    // Devices and pipes could stream forever; an image is a regular file (or a symlink to one).
    guard attributes?[.type] as? FileAttributeType == .typeRegular else {
      throw CLIError("\(path) is not a regular file", status: .noInput)
    }
    if let size = attributes?[.size] as? Int, size > maximumImageBytes {
      throw CLIError("\(path) is \(size) bytes; no SPIFFS layout is larger than \(maximumImageBytes >> 20) MiB",
                     hint: "pass --offset and --layout to read a file system inside a larger dump", status: .dataError)
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIError("cannot read \(path)", status: .noInput)
    }
    return [UInt8](data)
  }
}

/// The layout the user gave does not mount; the hint says which one would.
struct FSLayoutMismatch: ReportableError {
  var error: SPIFFSReadError
  var detected: LayoutCandidate?

  var message: String { error.description }
  var hint: String? {
    guard let detected else {
      return "check --size and --block; SPIFFS (and `SPIFFS.begin()` with auto-format) would erase this partition"
    }
    let layout = detected.layout
    let platform = layout.platform == .esp8266 ? "esp8266" : "esp32"
    if let preset = FSImageOptions.matchingPreset(layout) {
      return "the image's magic matches the \(platform) layout with \(layout.blockSize)-byte blocks; pass --layout \(preset.name)"
    }
    return "the image's magic matches the \(platform) layout with \(layout.blockSize)-byte blocks; "
      + "pass --platform \(platform) --block \(layout.blockSize)"
  }
  var exitStatus: ExitStatus { .dataError }
}
