import SPIFFS

/// An image file on the host opened the way the reader commands open it: the layout given, or detected from
/// the block magic (narrowed by whatever is known), a whole-flash dump cut to its file system.
public enum ImageFile {
  public struct Opened {
    public var image: SPIFFSImage
    /// The layout given, if one was.
    public var preset: SPIFFSLayoutPreset?
    /// The layout found, when none was given.
    public var detected: LayoutCandidate?
  }

  /// What is known of the layout when no preset is: each nil is detected.
  public struct Narrowing: Sendable {
    public var platform: SPIFFSLayout.Platform?
    public var blockSize: Int?
    public var imageSize: Int?
    public var pageSize: Int?

    public init(platform: SPIFFSLayout.Platform? = nil, blockSize: Int? = nil, imageSize: Int? = nil, pageSize: Int? = nil) {
      self.platform = platform
      self.blockSize = blockSize
      self.imageSize = imageSize
      self.pageSize = pageSize
    }
  }

  /// Reads `path`, cuts it at `offset` (or a preset's offset in a whole-flash dump), settles the layout and
  /// refuses what SPIFFS would not mount.
  public static func open(_ path: String, preset: SPIFFSLayoutPreset?, offset: Int?, narrowing: Narrowing = Narrowing(),
                          events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> Opened {
    var bytes = try HostFiles.read(path, limit: ImageMount.maximumImageBytes)
    if let offset {
      guard offset < bytes.count else { throw ImageFileError.offsetPastEnd(offset: offset, fileSize: bytes.count) }
      let length = min(bytes.count - offset, preset?.imageSize ?? Int.max)
      bytes = Array(bytes[offset..<offset + length])
    } else if let p = preset, let flash = p.flashSize, bytes.count == flash, flash > p.imageSize,
              p.flashOffset + p.imageSize <= flash {
      // A whole-flash dump of a board with this layout: the file system is at the preset's offset.
      events(.note("\(path) is a whole \(ByteSize.human(flash)) flash dump; "
                   + "reading the file system at \(Hex.address(p.flashOffset)) (\(p.name))"))
      bytes = Array(bytes[p.flashOffset..<p.flashOffset + p.imageSize])
    }
    if let known = preset {
      return Opened(image: try ImageMount.mount(bytes, preset: known, events: events), preset: known, detected: nil)
    }
    // Detection, narrowed by whatever was given. ESP-IDF stores the ESP32 format; only the name differs.
    let platforms: [SPIFFSLayout.Platform] = narrowing.platform.map { [$0 == .espIDF ? .esp32 : $0] }
      ?? SPIFFSLayoutDetector.platforms
    let blocks = narrowing.blockSize.map { [$0] } ?? SPIFFSLayoutDetector.blockSizes
    let size = narrowing.imageSize ?? bytes.count
    guard size <= bytes.count else {
      throw SPIFFSReadError.truncated(imageBytes: bytes.count, neededBytes: size,
        layout: SPIFFSLayout(platform: platforms[0], imageSize: size, blockSize: blocks[0]))
    }
    let found = try SPIFFSLayoutDetector.detect(bytes, imageSize: size, platforms: platforms, blockSizes: blocks,
                                                pageSize: narrowing.pageSize ?? 256)
    var layout = found.layout
    if narrowing.platform == .espIDF { layout = SPIFFSLayout(platform: .espIDF, imageSize: size, blockSize: layout.blockSize) }
    let spiffs = try SPIFFSImage(bytes: bytes, layout: layout)
    if found.matchingBlocks < layout.blockCount, let block = spiffs.blocksWithBadMagic().first {
      events(.note(ImageMount.badMagicNote(block)))
    }
    events(.note("layout: \(ImageMount.describe(layout)) (detected: magic in \(found.matchingBlocks) of \(layout.blockCount) blocks)"))
    return Opened(image: spiffs, preset: nil, detected: found)
  }
}

/// An image file that cannot be read as asked.
public enum ImageFileError: Error, Equatable, Sendable, CustomStringConvertible {
  case offsetPastEnd(offset: Int, fileSize: Int)

  public var description: String {
    switch self {
    case .offsetPastEnd(let offset, let size): "--offset \(Hex.address(offset)) is past the end of the \(size)-byte file"
    }
  }
}
