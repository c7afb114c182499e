/// The 5-byte header of every object page (§1.3): object id, span index, flags.
public struct PageHeader: Hashable, Sendable {
  public static let size = 5

  /// Raw object id as stored: bit 15 set on index pages.
  public var objectID: UInt16
  /// Data page: which `P-5`-byte slice of the file; index page: which index page of the object.
  public var spanIndex: UInt16
  public var flags: PageFlags

  public init(objectID: UInt16, spanIndex: UInt16, flags: PageFlags) {
    self.objectID = objectID
    self.spanIndex = spanIndex
    self.flags = flags
  }

  /// Decodes the header at `offset` of `bytes`; nil if the bytes are too short.
  public init?(decoding bytes: some RandomAccessCollection<UInt8>, at offset: Int) {
    guard offset >= 0, bytes.count >= offset + Self.size else { return nil }
    let base = bytes.index(bytes.startIndex, offsetBy: offset)
    func byte(_ i: Int) -> UInt8 { bytes[bytes.index(base, offsetBy: i)] }
    objectID = UInt16(byte(0)) | UInt16(byte(1)) << 8
    spanIndex = UInt16(byte(2)) | UInt16(byte(3)) << 8
    flags = PageFlags(rawValue: byte(4))
  }

  /// Writes the header at `offset` of `bytes`.
  public func encode(into bytes: inout [UInt8], at offset: Int) {
    bytes[offset] = UInt8(truncatingIfNeeded: objectID)
    bytes[offset + 1] = UInt8(truncatingIfNeeded: objectID >> 8)
    bytes[offset + 2] = UInt8(truncatingIfNeeded: spanIndex)
    bytes[offset + 3] = UInt8(truncatingIfNeeded: spanIndex >> 8)
    bytes[offset + 4] = flags.rawValue
  }

  /// True when the id carries the index flag (bit 15).
  public var isIndex: Bool { SPIFFSObjectID.isIndex(objectID) }
  /// The id without the index flag.
  public var plainObjectID: UInt16 { SPIFFSObjectID.plain(objectID) }
}

/// Page flags (§1.3). The bits are active-low: a cleared bit means the condition holds, because NOR flash
/// can only clear bits between erases.
public struct PageFlags: Hashable, Sendable {
  public var rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// 0xFC: a finished data page.
  public static let data = PageFlags(rawValue: 0xFC)
  /// 0xF8: a finished index page (header or not).
  public static let index = PageFlags(rawValue: 0xF8)
  /// 0xFF: never written since the last erase.
  public static let free = PageFlags(rawValue: 0xFF)

  /// Bit 0 clear: the page has been written.
  public var isUsed: Bool { rawValue & 0x01 == 0 }
  /// Bit 1 clear: the page's write is complete.
  public var isFinal: Bool { rawValue & 0x02 == 0 }
  /// Bit 2 clear: the page is an object index page.
  public var isIndex: Bool { rawValue & 0x04 == 0 }
  /// Bit 6 clear: the object index header is being deleted.
  public var isIndexBeingDeleted: Bool { rawValue & 0x40 == 0 }
  /// Bit 7 clear: the page is deleted.
  public var isDeleted: Bool { rawValue & 0x80 == 0 }
}
