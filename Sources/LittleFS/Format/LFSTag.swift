/// A metadata tag in its plain form (valid bit clear): type (11 bits), id (10 bits), size (10 bits)
/// (littlefs-format.md §3.3). On disk tags are big-endian and XORed with the previous plain tag.
struct LFSTag: Hashable, Sendable {
  var raw: UInt32

  init(raw: UInt32) { self.raw = raw }
  init(type: UInt32, id: UInt32, size: UInt32) {
    raw = (type & 0x7FF) << 20 | (id & 0x3FF) << 10 | (size & 0x3FF)
  }

  var isValid: Bool { raw & 0x8000_0000 == 0 }
  var type: UInt32 { (raw >> 20) & 0x7FF }
  var type1: UInt32 { (raw >> 20) & 0x700 }
  var chunk: UInt32 { (raw >> 20) & 0xFF }
  var id: UInt32 { (raw >> 10) & 0x3FF }
  var size: UInt32 { raw & 0x3FF }
  var isDelete: Bool { size == 0x3FF }
  /// Bytes of data that follow the tag on disk: a deleted attribute (size 0x3FF) has none.
  var dataSize: Int { isDelete ? 0 : Int(size) }
  /// Tag plus data.
  var diskSize: Int { 4 + dataSize }

  func with(id newID: UInt32) -> LFSTag { LFSTag(raw: raw & ~(0x3FF << 10) | (newID & 0x3FF) << 10) }

  /// CREATE adds one id, DELETE removes one (§3.5); other tags 0.
  var splice: Int {
    guard type1 == LFSType.splice else { return 0 }
    return type == LFSType.create ? 1 : (type == LFSType.delete ? -1 : 0)
  }
}

/// Tag types (littlefs-format.md §3.5).
enum LFSType {
  static let name: UInt32 = 0x000
  static let reg: UInt32 = 0x001
  static let dir: UInt32 = 0x002
  static let superblock: UInt32 = 0x0FF
  static let structType: UInt32 = 0x200
  static let dirStruct: UInt32 = 0x200
  static let inlineStruct: UInt32 = 0x201
  static let ctzStruct: UInt32 = 0x202
  static let userAttr: UInt32 = 0x300
  static let splice: UInt32 = 0x400
  static let create: UInt32 = 0x401
  static let delete: UInt32 = 0x4FF
  static let crc: UInt32 = 0x500
  static let fcrc: UInt32 = 0x5FF
  static let tail: UInt32 = 0x600
  static let softTail: UInt32 = 0x600
  static let hardTail: UInt32 = 0x601
  static let gstate: UInt32 = 0x700
  static let moveState: UInt32 = 0x7FF
  /// "No id" in tail, CRC and gstate tags.
  static let noID: UInt32 = 0x3FF
}

/// Little-endian integer access shared by the reader and the engine.
enum LE {
  static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
    UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
  }
  static func be32(_ b: [UInt8], _ o: Int) -> UInt32 {
    UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
  }
  static func bytes(_ v: UInt32) -> [UInt8] {
    [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
  }
  static func bytes(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8((v >> (8 * UInt64($0))) & 0xFF) } }
}
