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
    let file = try MappedFile(path, limit: ImageMount.maximumImageBytes)
    return try file.withBytes { whole in
      let (bytes, settled) = try settle(whole, path: path, preset: preset, offset: offset, narrowing: narrowing,
                                        events: events)
      return Opened(image: try SPIFFSImage(bytes: Array(bytes), layout: settled.layout), preset: settled.preset,
                    detected: settled.detected)
    }
  }

  /// What `open` gives for a listing, reading only the pages a listing needs (the lookup pages and the
  /// index headers) of the mapped file instead of the whole image. Nil when the bytes carry another file
  /// system's marks (the LittleFS superblock magic, a FAT boot sector): `openAny` reads those.
  public static func list(_ path: String, preset: SPIFFSLayoutPreset?, offset: Int?, narrowing: Narrowing = Narrowing(),
                          events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> [SPIFFSEntry]? {
    let file = try MappedFile(path, limit: ImageMount.maximumImageBytes)
    return try file.withBytes { whole -> [SPIFFSEntry]? in
      let bytes = try cut(whole, path: path, preset: preset, offset: offset, events: events)
      if carriesOtherFileSystem(bytes) { return nil }
      let settled = try settleLayout(bytes, preset: preset, narrowing: narrowing, events: events)
      events(.note("file system: SPIFFS"))
      return try SPIFFSImage.entries(in: bytes, layout: settled.layout)
    }
  }

  /// "littlefs" at byte 8 of block 0 or 1 for any power-of-two block size (littlefs-format.md §8.3), or a FAT
  /// boot sector: what `openAny` looks for before it takes bytes as SPIFFS. Reads a few bytes per size.
  static func carriesOtherFileSystem(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let magic = Array("littlefs".utf8)
    guard bytes.count >= 16 else { return false }
    if bytes[8..<16].elementsEqual(magic) { return true }
    var size = 128
    while size <= 1 << 20, size + 16 <= bytes.count {
      if bytes[(size + 8)..<(size + 16)].elementsEqual(magic) { return true }
      size *= 2
    }
    return FileSystemDetector.isFAT(Array(bytes.prefix(64 * 4096 + 512)))
  }

  struct Settled {
    var layout: SPIFFSLayout
    var preset: SPIFFSLayoutPreset?
    var detected: LayoutCandidate?
  }

  /// The file system's bytes within `whole` and its layout, with the notes and refusals of a mount. Reads one
  /// u16 per block and candidate layout (the magic), not every page.
  static func settle(_ whole: UnsafeRawBufferPointer, path: String, preset: SPIFFSLayoutPreset?, offset: Int?,
                     narrowing: Narrowing, events: WorkflowEvents) throws -> (UnsafeRawBufferPointer, Settled) {
    let bytes = try cut(whole, path: path, preset: preset, offset: offset, events: events)
    return (bytes, try settleLayout(bytes, preset: preset, narrowing: narrowing, events: events))
  }

  /// The file system's bytes of `path`: cut at `offset`, or at the preset's offset of a whole-flash dump.
  public static func read(_ path: String, preset: SPIFFSLayoutPreset?, offset: Int?,
                          events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> [UInt8] {
    let file = try MappedFile(path, limit: ImageMount.maximumImageBytes)
    return try file.withBytes { whole in
      Array(try cut(whole, path: path, preset: preset, offset: offset, events: events))
    }
  }

  /// SPIFFS bytes opened with the layout given, or the one detected (narrowed by whatever is known).
  public static func open(bytes: [UInt8], preset: SPIFFSLayoutPreset?, narrowing: Narrowing = Narrowing(),
                          events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> Opened {
    let settled = try bytes.withUnsafeBytes { try settleLayout($0, preset: preset, narrowing: narrowing, events: events) }
    return Opened(image: try SPIFFSImage(bytes: bytes, layout: settled.layout), preset: settled.preset,
                  detected: settled.detected)
  }

  static func cut(_ whole: UnsafeRawBufferPointer, path: String, preset: SPIFFSLayoutPreset?, offset: Int?,
                  events: WorkflowEvents) throws -> UnsafeRawBufferPointer {
    var bytes = whole
    if let offset {
      guard offset < bytes.count else { throw ImageFileError.offsetPastEnd(offset: offset, fileSize: bytes.count) }
      let length = min(bytes.count - offset, preset?.imageSize ?? Int.max)
      bytes = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
    } else if let p = preset, let flash = p.flashSize, bytes.count == flash, flash > p.imageSize,
              p.flashOffset + p.imageSize <= flash {
      // A whole-flash dump of a board with this layout: the file system is at the preset's offset.
      events(.note("\(path) is a whole \(ByteSize.human(flash)) flash dump; "
                   + "reading the file system at \(Hex.address(p.flashOffset)) (\(p.name))"))
      bytes = UnsafeRawBufferPointer(rebasing: bytes[p.flashOffset..<p.flashOffset + p.imageSize])
    }
    return bytes
  }

  static func settleLayout(_ bytes: UnsafeRawBufferPointer, preset: SPIFFSLayoutPreset?, narrowing: Narrowing,
                           events: WorkflowEvents) throws -> Settled {
    if let known = preset {
      try ImageMount.check(bytes, preset: known, events: events)
      return Settled(layout: known.layout, preset: known, detected: nil)
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
    if found.matchingBlocks < layout.blockCount,
       let block = try SPIFFSImage.blocksWithBadMagic(in: bytes, layout: layout).first {
      events(.note(ImageMount.badMagicNote(block)))
    }
    events(.note("layout: \(ImageMount.describe(layout)) (detected: magic in \(found.matchingBlocks) of \(layout.blockCount) blocks)"))
    return Settled(layout: layout, preset: nil, detected: found)
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
