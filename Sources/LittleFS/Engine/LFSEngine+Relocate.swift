extension LFSEngine {
  /// `lfs_fs_relocate`: after a pair moved, the parent's DIRSTRUCT and the predecessor's tail are rewritten
  /// to the new pair; the parent commit is bracketed by an orphan mark in gstate (§6.5 step 3).
  func relocateReferences(from old: [Int], to new: [Int]) throws(LFSEngineError) {
    if !Set(old).isDisjoint(with: root) { root = new }
    if let (parentPair, id) = try parent(of: old) {
      prepOrphans(+1)
      var parent = try fetch(parentPair)
      try commit(&parent, [LFSAttr(tag: LFSTag(type: LFSType.dirStruct, id: UInt32(id), size: 8), data: pairBytes(new))])
      prepOrphans(-1)
    }
    if var pred = try predecessor(of: old) {
      try commit(&pred, [LFSAttr(tag: LFSTag(type: LFSType.tail + (pred.split ? 1 : 0), id: LFSType.noID, size: 8),
                                 data: pairBytes(new))])
    }
  }

  /// The pair and id of the directory entry naming `pair` (`lfs_fs_parent`).
  func parent(of pair: [Int]) throws(LFSEngineError) -> ([Int], Int)? {
    var cursor = [0, 1]
    var seen: Set<Int> = []
    while seen.insert(cursor[0]).inserted {
      let dir = try fetch(cursor)
      for (id, entry) in state(dir).entries.enumerated() where entry.structTag?.type == LFSType.dirStruct && entry.structData.count >= 8 {
        let child = [Int(LE.u32(entry.structData, 0)), Int(LE.u32(entry.structData, 4))]
        if !Set(child).isDisjoint(with: pair) { return (dir.pair, id) }
      }
      guard dir.hasTail else { return nil }
      cursor = dir.tail
    }
    return nil
  }

  /// The pair whose tail is `pair` (`lfs_fs_pred`).
  func predecessor(of pair: [Int]) throws(LFSEngineError) -> LFSMDir? {
    var cursor = [0, 1]
    var seen: Set<Int> = []
    while seen.insert(cursor[0]).inserted {
      let dir = try fetch(cursor)
      guard dir.hasTail else { return nil }
      if !Set(dir.tail).isDisjoint(with: pair) { return dir }
      cursor = dir.tail
    }
    return nil
  }
}
