/// One file to put into an image.
public struct LittleFSInputFile: Sendable {
  /// Image path, "/dir/name".
  public var path: String
  public var contents: [UInt8]
  /// The file's own modification time (seconds since 1970), used when file times are `.own`.
  public var modificationTime: Int64?

  public init(path: String, contents: [UInt8], modificationTime: Int64? = nil) {
    self.path = path
    self.contents = contents
    self.modificationTime = modificationTime
  }
}

/// Builds LittleFS images, either byte for byte as a platform's mklittlefs would (`.mklittlefs`), or in
/// the default format made for the board (`.device`): erased space 0xFF, sorted order, one commit per
/// file, timestamps only as asked.
public struct LittleFSBuilder: Sendable {
  public enum Format: Hashable, Sendable {
    case mklittlefs(LittleFSToolProfile)
    case device(LittleFSTarget)
  }

  /// Which times files (and directories) get.
  public enum FileTimes: Hashable, Sendable {
    /// Each file's own modification time (mklittlefs' behaviour).
    case own
    /// One fixed time for every file (reproducible; e.g. SOURCE_DATE_EPOCH).
    case fixed(Int64)
    /// No time attributes (mklittlefs always writes them; in that format `.none` writes 0).
    case none
  }

  public var format: Format
  public var blockSize: Int
  public var imageSize: Int
  public var fileTimes: FileTimes
  /// The root's time ('t'/'c'): SOURCE_DATE_EPOCH or the clock, chosen by the caller; nil writes none
  /// (in the mklittlefs format nil writes 0, since the tools always write one).
  public var buildTime: Int64?
  /// Override name_max for the device format (defaults to the target's).
  public var nameMax: Int?

  public init(format: Format, blockSize: Int, imageSize: Int, fileTimes: FileTimes = .none, buildTime: Int64? = nil,
              nameMax: Int? = nil) {
    self.format = format
    self.blockSize = blockSize
    self.imageSize = imageSize
    self.fileTimes = fileTimes
    self.buildTime = buildTime
    self.nameMax = nameMax
  }

  public var blockCount: Int { imageSize / blockSize }

  /// The name_max written into the superblock.
  public var effectiveNameMax: Int {
    switch format {
    case .mklittlefs(let profile): return profile.nameMax
    case .device(let target): return nameMax ?? target.nameMax
    }
  }

  func validate() throws(LittleFSBuildError) {
    guard blockSize >= 128, blockSize & (blockSize - 1) == 0 else {
      throw .invalidGeometry(blockSize: blockSize, imageSize: imageSize, reason: "block size must be a power of two ≥ 128")
    }
    guard imageSize >= 2 * blockSize else {
      throw .invalidGeometry(blockSize: blockSize, imageSize: imageSize, reason: "the image needs at least two blocks")
    }
    guard effectiveNameMax >= 1, effectiveNameMax <= 1022 else {
      throw .invalidGeometry(blockSize: blockSize, imageSize: imageSize, reason: "name_max must be 1 … 1022")
    }
  }

  /// Splits "/a/b" into components, refusing empty, "." and ".." components.
  static func components(_ path: String) throws(LittleFSBuildError) -> [[UInt8]] {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
    guard !parts.isEmpty, !parts.contains([UInt8(ascii: ".")]), !parts.contains([UInt8(ascii: "."), UInt8(ascii: ".")]) else {
      throw .invalidPath(path)
    }
    return parts
  }

  func time(of file: LittleFSInputFile) -> Int64? {
    switch fileTimes {
    case .own: return file.modificationTime ?? 0
    case .fixed(let t): return t
    case .none: return nil
    }
  }
}
