/// A reimplementation of littlefs' write path on a RAM flash: format, mount, mkdir, create, write, close and
/// setattr as littlefs performs them (littlefs-format.md §6), so that driving it the way mklittlefs drives
/// littlefs gives the same bytes. Written from the format notes; no littlefs code is used.
final class LFSEngine {
  let config: LFSEngineConfig
  var disk: [UInt8]
  /// The metadata program cache (`lfs->pcache`).
  var pcache: LFSProgCache
  var alloc = LFSAllocatorState()
  var seed: UInt32 = 0
  var gstate = LFSGState()
  var gdisk = LFSGState()
  var gdelta = LFSGState()
  var root: [Int] = [0, 1]
  /// Blocks of the file being written (counted as in use when the allocator rescans, §6.3).
  var openFileBlocks: (head: Int, size: Int)?
  /// Per-pair compaction counts, for reports.
  var compactions = 0
  /// Whether an in-memory pair counts as appendable right after a compaction.
  var compactionMarksErased = false

  init(config: LFSEngineConfig, initialFill: UInt8 = 0xFF) {
    self.config = config
    disk = [UInt8](repeating: initialFill, count: config.blockSize * config.blockCount)
    pcache = LFSProgCache(unit: config.progSize)
  }

  var B: Int { config.blockSize }

  func erase(_ block: Int) {
    let start = block * B
    for i in start..<start + B { disk[i] = config.eraseFill }
  }

  func readU32(_ block: Int, _ off: Int) -> UInt32 {
    guard block >= 0, block < config.blockCount, off + 4 <= B else { return 0xFFFF_FFFF }
    return LE.u32(disk, block * B + off)
  }

  // MARK: Fetch (lfs_dir_fetch)

  func log(_ block: Int) -> LFSBlockLog {
    LFSBlockLog(bytes: disk, block: block, blockSize: B, progSize: config.progSize, fcrcRequired: config.fcrc)
  }

  /// Reads a pair the way littlefs does: the sequence-newer block first (equal revisions: `pair[0]`).
  func fetch(_ pair: [Int]) throws(LFSEngineError) -> LFSMDir {
    guard pair.allSatisfy({ $0 >= 0 && $0 < config.blockCount }) else { throw .corrupt(block: pair[0]) }
    let revs = pair.map { readU32($0, 0) }
    let r = LFSBlockLog.isNewer(revs[1], than: revs[0]) ? 1 : 0
    for i in 0..<2 {
      let index = (r + i) % 2
      let parsed = log(pair[index])
      guard parsed.hasCommit else { continue }
      for crc in parsed.commitCRCs {
        seed = config.seedByXOR ? seed ^ crc : LFSCRC.update(seed, word: crc, bigEndian: false)
      }
      let state = LFSDirState(log: parsed, bytes: disk, blockSize: B)
      var dir = LFSMDir(pair: [pair[index], pair[1 - index]])
      dir.rev = revs[index]
      dir.off = parsed.end
      dir.etag = parsed.etag
      dir.count = countAfterReplay(parsed)
      dir.erased = parsed.erased
      if let t = state.tail { dir.tail = [Int(t.0), Int(t.1)]; dir.split = state.tailIsHard }
      return dir
    }
    throw .corrupt(block: pair[0])
  }

  /// littlefs' count: a name tag with id ≥ count extends it, splices add and remove (§3.6).
  func countAfterReplay(_ parsed: LFSBlockLog) -> Int {
    var count = 0
    for item in parsed.tags {
      let tag = item.tag
      if tag.type1 == LFSType.name, Int(tag.id) >= count { count = Int(tag.id) + 1 }
      if tag.type1 == LFSType.splice { count += tag.splice }
    }
    return count
  }

  /// The live state (names, structs, attributes) of a fetched pair.
  func state(_ dir: LFSMDir) -> LFSDirState {
    LFSDirState(log: log(dir.pair[0]), bytes: disk, blockSize: B)
  }

  /// The pair's current gstate delta (its newest MOVESTATE).
  func pairGState(_ dir: LFSMDir) -> LFSGState { pairDelta(dir) }

  // MARK: Format and mount (§6.1, §6.2)

  func format() throws(LFSEngineError) {
    alloc.startFormat(count: config.blockCount, windowBits: 8 * config.lookaheadBytes)
    var rootDir = try allocDir()
    let record = LE.bytes(config.diskVersion) + LE.bytes(UInt32(B)) + LE.bytes(UInt32(config.blockCount))
      + LE.bytes(UInt32(config.nameMax)) + LE.bytes(UInt32(0x7FFF_FFFF)) + LE.bytes(UInt32(0x3FE))
    try commit(&rootDir, [
      LFSAttr(tag: LFSTag(type: LFSType.create, id: 0, size: 0), data: []),
      LFSAttr(tag: LFSTag(type: LFSType.superblock, id: 0, size: 8), data: Array("littlefs".utf8)),
      LFSAttr(tag: LFSTag(type: LFSType.inlineStruct, id: 0, size: UInt32(record.count)), data: record),
    ])
    // A second, forced compaction so no older littlefs on the medium can be mounted (§6.1 step 4).
    rootDir.erased = false
    try commit(&rootDir, [])
  }

  func mount() throws(LFSEngineError) {
    seed = 0
    gstate = LFSGState()
    var pair = [0, 1]
    var seen: Set<Int> = []
    while true {
      guard seen.insert(pair[0]).inserted else { throw .corrupt(block: pair[0]) }
      let dir = try fetch(pair)
      if state(dir).hasSuperblock { root = dir.pair }
      gstate = gstate ^ pairGState(dir)
      guard dir.hasTail else { break }
      pair = dir.tail
    }
    gdisk = gstate
    gdelta = LFSGState()
    alloc.mount(start: Int(seed % UInt32(config.blockCount)), count: config.blockCount)
  }
}
