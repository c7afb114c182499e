/// littlefs' lookahead allocator (littlefs-format.md §6.3): a window of `windowBits` blocks starting at
/// `off`, a cursor `i`, and `ack`, the blocks left to look at before the disk counts as full.
struct LFSAllocatorState {
  var off = 0
  var size = 0
  var i = 0
  var ack = 0
  var count = 0
  var windowBits = 0
  var used: [Bool] = []

  /// Format: one window from block 0, everything free.
  mutating func startFormat(count: Int, windowBits: Int) {
    self.count = count
    self.windowBits = windowBits
    off = 0
    size = min(windowBits, count)
    i = 0
    ack = count
    used = [Bool](repeating: false, count: size)
  }

  /// Mount: start at the seed's block, no window yet.
  mutating func mount(start: Int, count: Int) {
    self.count = count
    off = start
    size = 0
    i = 0
    ack = count
  }

  mutating func mark(_ block: Int) {
    guard block >= 0, block < count else { return }
    let rel = (block - off + count) % count
    if rel < size { used[rel] = true }
  }
}

extension LFSEngine {
  func ack() { alloc.ack = config.blockCount }

  /// `lfs_alloc`: the next free block of the window, rescanning the file system for a new window when the
  /// current one is used up.
  func allocate() throws(LFSEngineError) -> Int {
    while true {
      while alloc.i < alloc.size {
        let at = alloc.i
        alloc.i += 1
        alloc.ack -= 1
        if !alloc.used[at] {
          // The cursor also skips the used blocks that follow (littlefs looks ahead eagerly).
          while alloc.i < alloc.size, alloc.used[alloc.i] {
            alloc.i += 1
            alloc.ack -= 1
          }
          return (alloc.off + at) % config.blockCount
        }
      }
      guard alloc.ack > 0 else { throw .noSpace }
      alloc.off = (alloc.off + alloc.size) % config.blockCount
      alloc.size = min(8 * config.lookaheadBytes, alloc.ack)
      alloc.i = 0
      alloc.used = [Bool](repeating: false, count: alloc.size)
      try traverse(includeOrphans: true) { alloc.mark($0) }
    }
  }

  /// Every block in use: both blocks of each pair on the tail chain, every block of each file's skip-list,
  /// the pairs named by directory entries, and the blocks of the file being written (§6.3).
  func traverse(includeOrphans: Bool, _ visit: (Int) -> Void) throws(LFSEngineError) {
    var pair = [0, 1]
    var seen: Set<Int> = []
    while true {
      guard seen.insert(pair[0]).inserted else { throw .corrupt(block: pair[0]) }
      visit(pair[0])
      visit(pair[1])
      let dir = try fetch(pair)
      let st = state(dir)
      for entry in st.entries {
        guard let tag = entry.structTag, entry.structData.count >= 8 else { continue }
        if tag.type == LFSType.ctzStruct {
          ctzBlocks(head: Int(LE.u32(entry.structData, 0)), size: Int(LE.u32(entry.structData, 4)), visit)
        } else if includeOrphans, tag.type == LFSType.dirStruct {
          visit(Int(LE.u32(entry.structData, 0)))
          visit(Int(LE.u32(entry.structData, 4)))
        }
      }
      guard dir.hasTail else { break }
      pair = dir.tail
    }
    if let open = openFileBlocks { ctzBlocks(head: open.head, size: open.size, visit) }
  }

  func ctzBlocks(head: Int, size: Int, _ visit: (Int) -> Void) {
    guard size > 0 else { return }
    var index = LFSCTZ.index(of: size - 1, blockSize: B).index
    var block = head
    while true {
      visit(block)
      if index == 0 || block < 0 || block >= config.blockCount { return }
      block = Int(readU32(block, 0))
      index -= 1
    }
  }

  /// `lfs_fs_size`: blocks in use without orphans.
  func usedBlocks() throws(LFSEngineError) -> Int {
    var n = 0
    try traverse(includeOrphans: false) { _ in n += 1 }
    return n
  }

  /// `lfs_dir_alloc`: two blocks (the first becomes `pair[1]`), revision from the old content rounded up
  /// to the block-cycle modulus (§6.1 step 2).
  func allocDir() throws(LFSEngineError) -> LFSMDir {
    let written = try allocate()
    let other = try allocate()
    var dir = LFSMDir(pair: [other, written])
    var rev = readU32(other, 0)
    if config.blockCycles > 0 {
      let m = UInt32(config.cycleModulus)
      let bumped = rev &+ (m - 1)
      rev = bumped - bumped % m
    }
    dir.rev = rev
    dir.off = 4
    dir.etag = 0xFFFF_FFFF
    return dir
  }
}
