import ArgumentParser
import ESPFlashKit
import SPIFFS

/// The image argument of the reader commands and how its layout is found.
struct FSImageOptions: ParsableArguments {
  @Argument(help: "A SPIFFS image file (or a whole-flash dump with --offset or a preset).")
  var image: String?

  @Option(help: "Where the file system starts inside IMAGE (for a whole-flash dump, e.g. from read-flash).")
  var offset: ByteSize?

  @OptionGroup var layoutOptions: FSLayoutOptions

  /// Reads the image, settles the layout (given or detected) and refuses what SPIFFS would not mount.
  func open() throws -> (image: SPIFFSImage, preset: SPIFFSLayoutPreset?, detected: LayoutCandidate?) {
    guard let image else {
      throw CLIError("no image file given", hint: "name a SPIFFS image file, or --port PORT with --layout to read a board",
                     status: .usage)
    }
    var bytes = try HostFiles.read(image, limit: ImageMount.maximumImageBytes)
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
      Console.note("\(image) is a whole \(ByteSize.human(flash)) flash dump; "
        + "reading the file system at \(Hex.address(p.flashOffset)) (\(p.name))")
      bytes = Array(bytes[p.flashOffset..<p.flashOffset + p.imageSize])
    }
    if let known = preset {
      return (try ImageMount.mount(bytes, preset: known, events: CLIEvents().handler), known, nil)
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
      Console.note(ImageMount.badMagicNote(block))
    }
    Console.note("layout: \(ImageMount.describe(layout)) (detected: magic in \(found.matchingBlocks) of \(layout.blockCount) blocks)")
    return (spiffs, nil, found)
  }
}
