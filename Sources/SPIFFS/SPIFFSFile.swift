/// One file as SPIFFS stores it: a flat name (directories are part of it, e.g. `/www/css/style.css`) and the
/// bytes. Names are raw bytes compared with `strcmp` on the device; no Unicode normalisation happens here.
public struct SPIFFSFile: Hashable, Sendable {
  /// The on-flash name including the leading `/`, as UTF-8 bytes (without the NUL).
  public var nameBytes: [UInt8]
  public var contents: [UInt8]
  /// The metadata bytes (`metadataLength` of the layout; ESP-IDF keeps a little-endian u32 mtime in the first
  /// four). nil means "not set", written as 0xFF.
  public var metadata: [UInt8]?

  public init(nameBytes: [UInt8], contents: [UInt8], metadata: [UInt8]? = nil) {
    self.nameBytes = nameBytes
    self.contents = contents
    self.metadata = metadata
  }

  public init(name: String, contents: [UInt8], metadata: [UInt8]? = nil) {
    self.init(nameBytes: Array(name.utf8), contents: contents, metadata: metadata)
  }

  /// The name for display; invalid UTF-8 is shown with replacement characters.
  public var name: String { String(decoding: nameBytes, as: UTF8.self) }
}
