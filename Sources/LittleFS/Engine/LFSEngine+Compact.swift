extension LFSEngine {
  /// The tags a compaction of ids [begin, end) writes, in order (§6.5 step 1): walk the old log and then the
  /// new attributes; keep names, structs and user attributes that no later tag supersedes or deletes,
  /// renumbered by the creates and deletes that follow them.
  func compactedTags(_ source: LFSMDir, _ attrs: [LFSAttr], begin: Int, end: Int) -> [LFSAttr] {
    let items = diskTags(source) + attrs
    let idMask: UInt32 = 0x3FF << 10
    var out: [LFSAttr] = []
    for k in items.indices {
      var t = items[k].tag
      guard t.type & 0x400 == 0 else { continue }
      var filtered = false
      for j in (k + 1)..<items.count {
        let later = items[j].tag
        let mask: UInt32 = later.type & 0x100 != 0 ? (0x7FF << 20 | idMask) : (0x700 << 20 | idMask)
        if later.raw & mask == t.raw & mask || t.isDelete
          || later.raw & (0x7FF << 20 | idMask) == (LFSType.delete << 20 | t.raw & idMask) {
          filtered = true
          break
        }
        if later.type1 == LFSType.splice, later.id <= t.id {
          t = t.with(id: UInt32(truncatingIfNeeded: Int(t.id) + later.splice))
        }
      }
      guard !filtered, Int(t.id) >= begin, Int(t.id) < end else { continue }
      out.append(LFSAttr(tag: t.with(id: UInt32(Int(t.id) - begin)), data: items[k].data))
    }
    return out
  }

  func compactedSize(_ source: LFSMDir, _ attrs: [LFSAttr], begin: Int, end: Int) -> Int {
    compactedTags(source, attrs, begin: begin, end: end).reduce(0) { $0 + $1.tag.diskSize }
  }

  /// The newest MOVESTATE of a pair's committed log (`lfs_dir_getgstate`).
  func pairDelta(_ dir: LFSMDir) -> LFSGState {
    guard let tag = diskTags(dir).last(where: { $0.tag.type == LFSType.moveState }), tag.data.count == 12 else {
      return LFSGState()
    }
    return LFSGState(bytes: tag.data)
  }

  /// Split if the pair would be too full, expand the superblock when due, then compact (§6.5).
  func splittingCompact(_ dir: inout LFSMDir, _ attrs: [LFSAttr], source: LFSMDir, begin: Int, end endIn: Int) throws(LFSEngineError) {
    var end = endIn
    compactions += 1
    if config.littlefs29 {
      // 2.9: halve the tail range until it fits, split it off, repeat.
      while true {
        var split = begin
        while end - split > 1 {
          let size = compactedSize(source, attrs, begin: split, end: end)
          if end - split < 0xFF, size <= config.splitLimit { break }
          split += (end - split) / 2
        }
        if split == begin { break }
        do { try splitDir(&dir, attrs, source: source, split: split, end: end) } catch .noSpace { break }
        end = split
      }
      if config.blockCycles > 0, (Int(dir.rev &+ 1) % config.cycleModulus) == 0, isSuperblockPair(dir.pair) {
        let used = try usedBlocks()
        if config.blockCount - used > config.blockCount / 8 {
          do {
            try splitDir(&dir, attrs, source: source, split: begin, end: end)
            end = begin + 1
          } catch .noSpace {}
        }
      }
      try compact(&dir, attrs, source: source, begin: begin, end: end)
      return
    }
    // ≤ 2.8: split off the upper half while the pair does not fit.
    while end - begin > 1 {
      let size = compactedSize(source, attrs, begin: begin, end: end)
      if end - begin < 0xFF, size <= config.splitLimit { break }
      let half = (end - begin) / 2
      do {
        try splitDir(&dir, attrs, source: source, split: begin + half, end: end)
      } catch .noSpace where size <= B - 36 {
        break
      }
      end = begin + half
    }
    if config.blockCycles > 0, (Int(dir.rev &+ 1) % config.cycleModulus) == 0, isSuperblockPair(dir.pair) {
      if try usedBlocks() < config.blockCount / 2 {
        do {
          try splitDir(&dir, attrs, source: source, split: begin, end: end)
          end = begin
        } catch .noSpace {}
      }
    }
    try compact(&dir, attrs, source: source, begin: begin, end: end)
  }

  func isSuperblockPair(_ pair: [Int]) -> Bool { pair.contains(0) || pair.contains(1) }

  /// `lfs_dir_split`: the ids [split, end) go to a new pair that becomes this pair's hard tail.
  func splitDir(_ dir: inout LFSMDir, _ attrs: [LFSAttr], source: LFSMDir, split: Int, end: Int) throws(LFSEngineError) {
    ack()
    var tail = try allocDir()
    tail.split = dir.split
    tail.tail = dir.tail
    if config.littlefs29 {
      try compact(&tail, attrs, source: source, begin: split, end: end)
    } else {
      try splittingCompact(&tail, attrs, source: source, begin: split, end: end)
    }
    dir.tail = tail.pair
    dir.split = true
    if split == 0, !Set(dir.pair).isDisjoint(with: root) { root = tail.pair }
  }

  /// `lfs_dir_compact`: erase the other block and write the live tags, tail, gstate delta and CRC there.
  func compact(_ dir: inout LFSMDir, _ attrs: [LFSAttr], source: LFSMDir, begin: Int, end: Int) throws(LFSEngineError) {
    let oldPair = dir.pair
    dir.rev &+= 1
    var relocated = false
    if config.blockCycles > 0, Int(dir.rev) % config.cycleModulus == 0, !isSuperblockPair(dir.pair) {
      // Wear levelling: this compaction goes to a newly allocated block instead (§6.5 step 3); without a
      // free block it stays where it is.
      relocated = true
      pcache.drop()
      if let block = try? allocate() { dir.pair[1] = block }
    }
    let tags = compactedTags(source, attrs, begin: begin, end: end)
    erase(dir.pair[1])
    var c = LFSCommit(block: dir.pair[1], off: 0, end: B - 8)
    prog(&c, LE.bytes(dir.rev))
    for tag in tags { try commitAttr(&c, tag.tag, tag.data) }
    if dir.hasTail {
      try commitAttr(&c, LFSTag(type: LFSType.tail + (dir.split ? 1 : 0), id: LFSType.noID, size: 8),
                     LE.bytes(UInt32(truncatingIfNeeded: dir.tail[0])) + LE.bytes(UInt32(truncatingIfNeeded: dir.tail[1])))
    }
    var delta = relocated ? gdelta : gdisk ^ gstate ^ gdelta
    delta.tag &= ~UInt32(0x3FF)
    delta = delta ^ pairDelta(dir)
    if !delta.isZero {
      try commitAttr(&c, LFSTag(type: LFSType.moveState, id: LFSType.noID, size: 12), delta.bytes)
    }
    try commitCRC(&c)
    dir.pair.swapAt(0, 1)
    dir.count = end - begin
    dir.off = c.off
    dir.etag = c.ptag
    if compactionMarksErased { dir.erased = true }
    gdelta = LFSGState()
    if !relocated { gdisk = gstate }
    if relocated, dir.pair != oldPair { try relocateReferences(from: oldPair, to: dir.pair) }
  }
}
