import Foundation
import LittleFS
import SPIFFS

/// Data folder → LittleFS image: the same walk, order file, overlay, DER/renames and credential check as the
/// SPIFFS pipeline, then the LittleFS builder. Nothing is dropped: a file that does not fit stops the build,
/// named, with a layout that holds the folder.
public struct LittleFSImagePipeline {
  public enum Format: Hashable, Sendable {
    /// Valid littlefs for the board: mounts on its littlefs, erased space 0xFF, same bytes for same content.
    case device
    /// Byte for byte what this mklittlefs writes for the same files in the same order.
    case mklittlefs(LittleFSToolProfile?)
  }

  public struct Options: Sendable {
    public var base: ImagePipeline.Options
    public var format: Format
    public var fileTimes: LittleFSBuilder.FileTimes
    /// The root's time (SOURCE_DATE_EPOCH or the clock, chosen by the caller); nil: none (device format).
    public var buildTime: Int64?

    public init(base: ImagePipeline.Options, format: Format = .device, fileTimes: LittleFSBuilder.FileTimes = .none,
                buildTime: Int64? = nil) {
      self.base = base
      self.format = format
      self.fileTimes = fileTimes
      self.buildTime = buildTime
    }
  }

  public struct Output: Sendable {
    public var image: [UInt8]
    public var layout: LittleFSLayout
    public var builder: LittleFSBuilder
    public var files: [ImagePipeline.StoredFile]
    public var skipped: [String]
    public var check: CredentialCheckOutcome?
    public var usage: LittleFSUsage?
    /// Names that came from the overlay folder, and which of them replaced a common file.
    public var overlaid: Set<[UInt8]> = []
    public var replaced: [String] = []
    public var dataBytes: Int { files.reduce(0) { $0 + $1.size } }
  }

  public var options: Options
  let events: WorkflowEvents

  public init(options: Options, events: @escaping WorkflowEvents = WorkflowEventsDefaults.silent) {
    self.options = options
    self.events = events
  }

  func builder(for layout: LittleFSLayout) -> LittleFSBuilder {
    let format: LittleFSBuilder.Format
    switch options.format {
    case .device: format = .device(layout.target)
    case .mklittlefs(let tool): format = .mklittlefs(tool ?? layout.defaultTool)
    }
    return LittleFSBuilder(format: format, blockSize: layout.blockSize, imageSize: layout.imageSize,
                           fileTimes: options.fileTimes, buildTime: options.buildTime)
  }

  public func run() throws -> Output {
    let layout = LittleFSLayout(preset: options.base.preset)
    // The LittleFS builder takes every file's bytes at once (it is given the whole tree in order).
    var base = options.base
    base.retainContents = true
    let spiffsSteps = ImagePipeline(options: base, events: events)
    let prepared = try spiffsSteps.prepare { files in
      // More than the whole partition cannot fit whatever the format; refuse before reading the files.
      let bytes = files.reduce(0) { $0 + $1.size }
      if bytes > 2 * layout.imageSize {
        throw LittleFSImageDoesNotFit(path: nil, contentBytes: bytes, layout: layout, fits: Self.fitting(bytes: bytes, layout: layout))
      }
    }
    let check = try spiffsSteps.checkStoredCredentials(prepared.stored)
    let inputs = prepared.stored.map {
      LittleFSInputFile(path: $0.displayName, contents: $0.contents,
                        modificationTime: options.fileTimes == .own ? Self.modificationTime($0.source.hostPath) : nil)
    }
    let builder = builder(for: layout)
    let image: [UInt8]
    do {
      image = try builder.build(inputs)
    } catch {
      guard case .doesNotFit(let path, _, _, _, _, let bytes) = error else { throw error }
      throw LittleFSImageDoesNotFit(path: path, contentBytes: bytes, layout: layout, fits: largerLayout(for: inputs, than: layout))
    }
    return Output(image: image, layout: layout, builder: builder, files: prepared.stored, skipped: prepared.skipped,
                  check: check, usage: try? LittleFSImage(bytes: image).usage(), overlaid: prepared.overlay.names,
                  replaced: prepared.overlay.replaced)
  }

  /// The smallest preset of the same platform family that holds these files, found by building (a LittleFS
  /// file costs whole blocks, so sizes alone do not tell).
  func largerLayout(for files: [LittleFSInputFile], than layout: LittleFSLayout) -> SPIFFSLayoutPreset? {
    let bytes = files.reduce(0) { $0 + $1.contents.count }
    let candidates = SPIFFSLayoutPresets.all.filter {
      !$0.name.contains("@") && $0.sameFamily(as: layout.preset.platform) && $0.imageSize > layout.imageSize
        && $0.imageSize >= bytes
    }.sorted { ($0.imageSize, $0.flashOffset) < ($1.imageSize, $1.flashOffset) }
    var tried = Set<Int>()
    for preset in candidates where tried.insert(preset.imageSize).inserted {
      if (try? builder(for: LittleFSLayout(preset: preset)).build(files)) != nil { return preset }
      if tried.count >= 8 { break }
    }
    return nil
  }

  /// A file's own mtime (only read when file times are `.own`, mklittlefs' behaviour).
  static func modificationTime(_ path: String) -> Int64? {
    guard let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
    return Int64(date.timeIntervalSince1970)
  }

  static func fitting(bytes: Int, layout: LittleFSLayout) -> SPIFFSLayoutPreset? {
    SPIFFSLayoutPresets.smallestHolding(bytes: bytes * 2, platform: layout.preset.platform)
  }
}

/// The folder does not fit the LittleFS layout; nothing was built or written.
public struct LittleFSImageDoesNotFit: Error, Sendable, CustomStringConvertible {
  /// The file being added when the image ran out of blocks (nil when refused before building).
  public var path: String?
  public var contentBytes: Int
  public var layout: LittleFSLayout
  /// The smallest layout that holds the folder, if one was found.
  public var fits: SPIFFSLayoutPreset?

  public var description: String {
    "the files (\(contentBytes) bytes) do not fit LittleFS \(layout.preset.isCustom ? "image" : layout.name) "
      + "(\(layout.blockCount) blocks of \(layout.blockSize))" + (path.map { ": out of blocks while adding \($0)" } ?? "")
  }
}
