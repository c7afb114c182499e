/// A read-only view of a littlefs v2 image (disk versions 2.0 and 2.1), read the way littlefs itself reads
/// it (littlefs-format.md §4). Nothing here writes; every block number is range-checked before use, so a
/// damaged image ends in a typed error, never a crash.
public struct LittleFSImage: Sendable {
  public let bytes: [UInt8]
  public let superblock: LittleFSSuperblock
  public var blockSize: Int { superblock.blockSize }
  public var blockCount: Int { superblock.blockCount }
  /// The root directory's first pair (the last pair on the tail chain carrying a superblock, §3.7).
  let root: [Int]
  /// Every pair on the tail chain from {0,1}, in walk order.
  let chain: [[Int]]
  /// A pending move (gstate, §3.11): this pair's entry `id` is hidden.
  let movedEntry: (pair: Set<Int>, id: Int)?
  /// The CRCs of every valid commit met on the mount walk (the allocator seed, §6.2).
  let seedCRCs: [UInt32]

  /// Mounts `bytes`. With `blockSize` nil the block size is detected (§4 step 1); `blockCount` nil takes the
  /// superblock's count.
  public init(bytes: [UInt8], blockSize: Int? = nil) throws(LittleFSReadError) {
    self.bytes = bytes
    let size: Int
    if let blockSize {
      size = blockSize
    } else if let found = Self.detectBlockSize(bytes) {
      size = found
    } else {
      throw .noSuperblock(imageBytes: bytes.count)
    }
    guard size >= 64, bytes.count >= 2 * size else { throw .noSuperblock(imageBytes: bytes.count) }
    // Walk the whole tail chain from {0,1}: the root is the last pair that carries a superblock entry.
    var chain: [[Int]] = []
    var seen: Set<Int> = []
    var pair = [0, 1]
    var record: [UInt8]?
    var root = [0, 1]
    var gstate = [UInt8](repeating: 0, count: 12)
    var crcs: [UInt32] = []
    let maxBlocks = bytes.count / size
    while true {
      guard pair.allSatisfy({ $0 < maxBlocks }) else {
        throw .blockOutOfRange(block: pair.first { $0 >= maxBlocks } ?? 0, blockCount: maxBlocks, path: "/")
      }
      guard seen.insert(pair[0]).inserted, seen.insert(pair[1]).inserted else { throw .cycle(block: pair[0]) }
      guard let fetched = Self.fetch(bytes, pair: pair, blockSize: size) else {
        throw .corruptPair(block0: pair[0], block1: pair[1], path: chain.isEmpty ? "/" : "metadata chain")
      }
      chain.append(pair)
      crcs += fetched.log.commitCRCs
      let state = fetched.state
      if state.hasSuperblock, let data = state.entries.first?.structData, data.count >= 24 {
        record = data
        root = pair
      }
      if let delta = state.moveDelta, delta.count == 12 {
        for i in 0..<12 { gstate[i] ^= delta[i] }
      }
      guard let tail = state.tail else { break }
      pair = [Int(tail.0), Int(tail.1)]
    }
    guard let record else { throw .noSuperblock(imageBytes: bytes.count) }
    let sb = LittleFSSuperblock(version: LE.u32(record, 0), blockSize: Int(LE.u32(record, 4)),
                                blockCount: Int(LE.u32(record, 8)), nameMax: Int(LE.u32(record, 12)),
                                fileMax: Int(LE.u32(record, 16)), attrMax: Int(LE.u32(record, 20)))
    guard sb.major == 2, sb.minor <= 1 else { throw .unsupportedVersion(major: sb.major, minor: sb.minor) }
    guard sb.blockSize == size else { throw .blockSizeMismatch(requested: size, superblock: sb.blockSize) }
    guard sb.blockCount >= 2 else { throw .noSuperblock(imageBytes: bytes.count) }
    guard bytes.count >= sb.blockCount * size else {
      throw .truncated(imageBytes: bytes.count, neededBytes: sb.blockCount * size)
    }
    if let bad = chain.joined().first(where: { $0 >= sb.blockCount }) {
      throw .blockOutOfRange(block: bad, blockCount: sb.blockCount, path: "metadata chain")
    }
    superblock = sb
    self.root = root
    self.chain = chain
    seedCRCs = crcs
    let moveTag = LFSTag(raw: LE.u32(gstate, 0))
    movedEntry = moveTag.type1 != 0
      ? (Set([Int(LE.u32(gstate, 4)), Int(LE.u32(gstate, 8))]), Int(moveTag.id)) : nil
  }

  /// The block size whose superblock record names that size (§4 step 1). The record is normally in pair
  /// {0,1} ("littlefs" at byte 8 of block 0 or 1); after a littlefs ≤ 2.9.2 superblock expansion {0,1} may
  /// hold only a tail to the pair that has it (§3.7), so a valid {0,1} with a tail is followed too.
  public static func detectBlockSize(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 256 else { return nil }
    var size = 128
    let magic = Array("littlefs".utf8)
    while size <= 1 << 20, 2 * size <= bytes.count {
      let hasMagic = Array(bytes[8..<16]) == magic || Array(bytes[size + 8..<size + 16]) == magic
      if hasMagic || size >= 512, let found = superblockRecord(bytes, blockSize: size, quick: !hasMagic),
         Int(LE.u32(found, 4)) == size {
        return size
      }
      size *= 2
    }
    return nil
  }

  /// The superblock record found along the tail chain from {0,1} (bounded), or nil. `quick` gives up at once
  /// unless {0,1} is a valid pair with a tail (the no-magic case).
  static func superblockRecord(_ bytes: [UInt8], blockSize: Int, quick: Bool) -> [UInt8]? {
    var pair = [0, 1]
    var seen: Set<Int> = []
    let blocks = bytes.count / blockSize
    var record: [UInt8]?
    for step in 0..<64 {
      guard pair.allSatisfy({ $0 < blocks }), seen.insert(pair[0]).inserted,
            let fetched = fetch(bytes, pair: pair, blockSize: blockSize) else { return record }
      if fetched.state.hasSuperblock, let data = fetched.state.entries.first?.structData, data.count >= 24 { record = data }
      if step == 0, quick, record == nil, !fetched.state.tailIsHard { return nil }
      guard let tail = fetched.state.tail else { return record }
      pair = [Int(tail.0), Int(tail.1)]
    }
    return record
  }

  /// Reads a pair (§4 step 2): the sequence-newer block first, the other if it has no valid commit.
  static func fetch(_ bytes: [UInt8], pair: [Int], blockSize: Int) -> (log: LFSBlockLog, state: LFSDirState)? {
    let revs = pair.map { LE.u32(bytes, $0 * blockSize) }
    let first = LFSBlockLog.isNewer(revs[1], than: revs[0]) ? 1 : 0
    for index in [first, 1 - first] {
      let log = LFSBlockLog(bytes: bytes, block: pair[index], blockSize: blockSize)
      if log.hasCommit { return (log, LFSDirState(log: log, bytes: bytes, blockSize: blockSize)) }
    }
    return nil
  }

  /// Fetches a pair of this image, range-checked.
  func fetchPair(_ pair: [Int], path: String) throws(LittleFSReadError) -> (log: LFSBlockLog, state: LFSDirState) {
    for block in pair where block >= blockCount {
      throw .blockOutOfRange(block: block, blockCount: blockCount, path: path)
    }
    guard let fetched = Self.fetch(bytes, pair: pair, blockSize: blockSize) else {
      throw .corruptPair(block0: pair[0], block1: pair[1], path: path)
    }
    return fetched
  }
}
