import LittleFS
import SPIFFS

/// A built file-system image as the upload flow needs it, whichever file system it holds.
public struct PartitionImage: Sendable {
  public var image: [UInt8]
  /// "compact", "mkspiffs", "littlefs", "mklittlefs".
  public var format: String
  public var files: [UploadResult.File]
  public var dataBytes: Int

  public init(_ built: ImagePipeline.Output) {
    image = built.image
    format = built.result.format.rawValue
    files = built.files.map { .init(name: $0.displayName, size: $0.size) }
    dataBytes = built.result.dataBytes
  }

  public init(_ built: LittleFSImagePipeline.Output) {
    image = built.image
    if case .mklittlefs = built.builder.format { format = "mklittlefs" } else { format = "littlefs" }
    files = built.files.map { .init(name: $0.displayName, size: $0.size) }
    dataBytes = built.dataBytes
  }
}

/// A partition's bytes opened as whichever file system they hold.
public enum MountedFileSystem {
  case spiffs(SPIFFSImage)
  case littlefs(LittleFSImage)

  /// LittleFS when its superblock is there, SPIFFS with the layout otherwise; FAT and erased flash are refused.
  public static func mount(_ bytes: [UInt8], preset: SPIFFSLayoutPreset,
                           events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> MountedFileSystem {
    if LittleFSImage.detectBlockSize(bytes) != nil { return .littlefs(try LittleFSMount.mount(bytes, events: events)) }
    if FileSystemDetector.isFAT(bytes) { throw UnsupportedFileSystem(found: .fat) }
    if bytes.allSatisfy({ $0 == 0xFF }) { throw UnsupportedFileSystem(found: .erased) }
    let image = try ImageMount.mount(bytes, preset: preset, events: events)
    events(.note("file system: SPIFFS"))
    return .spiffs(image)
  }

  /// The files as the listing results show them.
  public func entries() throws -> [ImageFileEntry] {
    switch self {
    case .spiffs(let image): return image.entries().map(ImageFileEntry.init)
    case .littlefs(let image):
      return try image.list().filter { $0.kind == .file }.map { ImageFileEntry(littlefs: $0, blockSize: image.blockSize) }
    }
  }

  @discardableResult
  public func extract(into directory: String, force: Bool, events: WorkflowEvents) throws -> SafeExtraction.Summary {
    switch self {
    case .spiffs(let image): return try SafeExtraction.extract(image, into: directory, force: force, events: events)
    case .littlefs(let image): return try SafeExtraction.extract(image, into: directory, force: force, events: events)
    }
  }
}

extension ImageFileEntry {
  /// A LittleFS file in the shared listing shape: `objectID` is its entry id, `headerPage` the metadata
  /// block holding it, `pages` its data blocks (0 for an inline file), `mtime` its 't' attribute.
  public init(littlefs entry: LittleFSEntry, blockSize: Int) {
    self.init(name: entry.path, nameBytes: entry.pathBytes, size: entry.size, objectID: entry.id, headerPage: entry.block,
              pages: entry.size == 0 ? 0 : (entry.storage == .inline ? 0 : LittleFSUsage.blocksNeeded(size: entry.size, blockSize: blockSize)),
              mtime: entry.time("t").map { ImageFileEntry.formatTime(UInt32(truncatingIfNeeded: $0)) })
  }
}
