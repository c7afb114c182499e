/// Object ids as SPIFFS stores them in page headers and lookup entries (§1.2, §1.3, §1.7): 15 bits of id,
/// with bit 15 (`SPIFFS_OBJ_ID_IX_FLAG`) set on the pages of an object's index. A lookup entry is either one
/// of those ids or one of two markers.
public enum SPIFFSObjectID {
  /// `SPIFFS_OBJ_ID_IX_FLAG`: set on every index page's id (and the wrap point of SPIFFS' erase counts).
  public static let indexFlag: UInt16 = 0x8000
  /// The id bits below the flag.
  public static let idMask: UInt16 = 0x7FFF
  /// `SPIFFS_OBJ_ID_FREE`: the lookup entry of a page never written since the last erase.
  public static let free: UInt16 = 0xFFFF
  /// `SPIFFS_OBJ_ID_DELETED`: the lookup entry of a deleted page.
  public static let deleted: UInt16 = 0

  /// The id index pages of object `id` carry.
  @inline(__always) public static func index(_ id: UInt16) -> UInt16 { id | indexFlag }
  /// The object id without the index flag.
  @inline(__always) public static func plain(_ raw: UInt16) -> UInt16 { raw & idMask }
  /// Whether a stored id carries the index flag.
  @inline(__always) public static func isIndex(_ raw: UInt16) -> Bool { raw & indexFlag != 0 }
  /// Whether a lookup entry names a page in use (neither free nor deleted).
  @inline(__always) public static func isInUse(_ lookup: UInt16) -> Bool { lookup != free && lookup != deleted }
}
