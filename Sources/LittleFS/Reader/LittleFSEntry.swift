/// The superblock record (littlefs-format.md §3.7).
public struct LittleFSSuperblock: Equatable, Sendable {
  public var version: UInt32
  public var blockSize: Int
  public var blockCount: Int
  public var nameMax: Int
  public var fileMax: Int
  public var attrMax: Int
  public var major: Int { Int(version >> 16) }
  public var minor: Int { Int(version & 0xFFFF) }
  /// "2.0" or "2.1".
  public var diskVersion: String { "\(major).\(minor)" }
}

/// One listed entry: the root, a directory or a file.
public struct LittleFSEntry: Equatable, Sendable {
  public enum Kind: String, Sendable { case root, directory, file }
  public enum Storage: Equatable, Sendable {
    case none
    case inline
    case ctz(head: Int)
    case directory(pair: [Int])
  }

  /// "/dir/name" ("/" for the root); names decoded leniently as UTF-8.
  public var path: String
  /// The path as raw bytes, exactly as stored.
  public var pathBytes: [UInt8]
  public var kind: Kind
  public var size: Int
  public var storage: Storage
  /// User attributes by type byte: 't' (0x74) last write, 'c' (0x63) creation (§3.10).
  public var attributes: [UInt8: [UInt8]]
  /// The metadata block and id the entry lives in (for check messages).
  public var block: Int
  public var id: Int

  /// A 4- or 8-byte little-endian time attribute as seconds since 1970.
  public func time(_ type: Character) -> Int64? {
    guard let ascii = type.asciiValue, let raw = attributes[ascii], raw.count == 4 || raw.count == 8 else { return nil }
    var value: UInt64 = 0
    for (i, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
    return raw.count == 4 ? Int64(UInt32(truncatingIfNeeded: value)) : Int64(bitPattern: value)
  }
}
