/// What the builder needs to know of a file before its bytes: the name, the size and the metadata. The checks,
/// the fit and the page counts run on these; the bytes are asked for only when the file is packed.
public protocol SPIFFSFileDescription {
  /// The on-flash name including the leading `/`, as UTF-8 bytes.
  var nameBytes: [UInt8] { get }
  var byteCount: Int { get }
  var metadata: [UInt8]? { get }
}

extension SPIFFSFileDescription {
  /// The name for display; invalid UTF-8 is shown with replacement characters.
  var displayName: String { String(decoding: nameBytes, as: UTF8.self) }
}

extension SPIFFSFile: SPIFFSFileDescription {
  public var byteCount: Int { contents.count }
}

/// A file for `SPIFFSBuilder.build(_:load:)`, whose bytes are read when it is packed (so a build holds the
/// image and one file, not the image and the whole folder).
public struct SPIFFSFileInfo: SPIFFSFileDescription, Hashable, Sendable {
  public var nameBytes: [UInt8]
  public var byteCount: Int
  public var metadata: [UInt8]?

  public init(nameBytes: [UInt8], byteCount: Int, metadata: [UInt8]? = nil) {
    self.nameBytes = nameBytes
    self.byteCount = byteCount
    self.metadata = metadata
  }
}
