/// The littlefs configuration and the version-specific write behaviour the engine reproduces
/// (littlefs-format.md §2, §6, §7). Only what changes bytes on disk is modelled.
struct LFSEngineConfig: Sendable {
  var blockSize: Int
  var blockCount: Int
  /// read = prog = cache size: the engine keeps one program unit per cache, as every tool profile here does.
  var progSize: Int
  var lookaheadBytes: Int
  /// ≤ 0 disables wear-levelling relocation (revision counts then never force a move).
  var blockCycles: Int
  var nameMax: Int
  var inlineMax: Int
  /// What an erased block reads as: mklittlefs' RAM flash 0x00, real flash 0xFF (§3.1).
  var eraseFill: UInt8
  /// 0x00020000 or 0x00020001 (§3.12).
  var diskVersion: UInt32
  /// littlefs ≥ 2.9: split threshold block − 40 instead of − 36, split point found by halving, superblock
  /// expansion when more than 1/8 is free and keeping entry 0 in {0,1} (§3.7, §6.5).
  var littlefs29: Bool
  /// littlefs 2.0.x folds commit CRCs into the allocator seed by XOR; later versions by CRC (§6.2).
  var seedByXOR = false

  var fcrc: Bool { diskVersion >= 0x0002_0001 }
  var cycleModulus: Int { (blockCycles + 1) | 1 }
  /// Largest compacted size of one pair before it splits (§6.5 step 4).
  var splitLimit: Int {
    let half = (blockSize / 2 + progSize - 1) / progSize * progSize
    return min(blockSize - (littlefs29 ? 40 : 36), half)
  }
}

/// Errors from the engine, in littlefs' own terms; the builder turns them into `LittleFSBuildError`.
enum LFSEngineError: Error, Equatable {
  case noSpace
  case nameTooLong
  case exists
  case notFound
  case notDirectory
  case corrupt(block: Int)
  /// A write path the engine does not reproduce byte for byte (named).
  case unsupported(String)
}

/// A metadata pair as littlefs holds it in RAM (`lfs_mdir_t`): `pair[0]` is the block parsed last.
struct LFSMDir {
  var pair: [Int]
  var rev: UInt32 = 0
  var off = 0
  var etag: UInt32 = 0xFFFF_FFFF
  var count = 0
  var erased = false
  var split = false
  var tail: [Int] = [Int(UInt32.max), Int(UInt32.max)]

  static let nullBlock = Int(UInt32.max)
  var hasTail: Bool { tail[0] != Self.nullBlock || tail[1] != Self.nullBlock }
}

/// An in-memory attribute of a commit: a tag and its data.
struct LFSAttr {
  var tag: LFSTag
  var data: [UInt8]
}

/// Global state (§3.11): tag, pair.
struct LFSGState: Equatable {
  var tag: UInt32 = 0
  var pair0: UInt32 = 0
  var pair1: UInt32 = 0
  static func ^ (a: LFSGState, b: LFSGState) -> LFSGState {
    LFSGState(tag: a.tag ^ b.tag, pair0: a.pair0 ^ b.pair0, pair1: a.pair1 ^ b.pair1)
  }
  var isZero: Bool { tag == 0 && pair0 == 0 && pair1 == 0 }
  var bytes: [UInt8] { LE.bytes(tag) + LE.bytes(pair0) + LE.bytes(pair1) }
  init() {}
  init(tag: UInt32, pair0: UInt32, pair1: UInt32) { self.tag = tag; self.pair0 = pair0; self.pair1 = pair1 }
  init(bytes b: [UInt8]) { tag = LE.u32(b, 0); pair0 = LE.u32(b, 4); pair1 = LE.u32(b, 8) }
}
