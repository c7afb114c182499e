extension LittleFSImage {
  /// Everything suspicious in the image, each with its block and offset: torn commits, metadata pairs
  /// without a valid block, references outside the file system, broken skip-lists, blocks claimed twice,
  /// names longer than name_max, orphaned pairs. An empty result means littlefs would read it all.
  public func check() -> [LittleFSProblem] {
    var problems: [LittleFSProblem] = []
    var owner: [Int: String] = [:]
    func claim(_ block: Int, _ who: String) {
      if let previous = owner[block] {
        problems.append(LittleFSProblem(.error, block: block, path: who, "block also used by \(previous)"))
      } else {
        owner[block] = who
      }
    }
    // The metadata chain: both blocks of every pair, and how each block's log ends.
    for pair in chain {
      for block in pair { claim(block, "metadata pair {\(pair[0]), \(pair[1])}") }
      let logs = pair.map { LFSBlockLog(bytes: bytes, block: $0, blockSize: blockSize) }
      let newer = LFSBlockLog.isNewer(logs[1].revision, than: logs[0].revision) ? logs[1] : logs[0]
      let older = newer.block == logs[0].block ? logs[1] : logs[0]
      if case .crcMismatch(let offset, let expected, let found) = newer.stop {
        let what = newer.hasCommit
          ? "a torn write; littlefs ignores it and everything after it"
          : "the block holds no valid commit, so littlefs falls back to the older block \(older.block) and its older state"
        problems.append(LittleFSProblem(.warning, block: newer.block, offset: offset,
          "commit CRC mismatch (computed 0x\(String(expected, radix: 16)), stored 0x\(String(found, radix: 16))): \(what)"))
      }
    }
    if let moved = movedEntry {
      problems.append(LittleFSProblem(.warning, block: moved.pair.min(), "an interrupted rename is pending (entry \(moved.id) hidden)"))
    }
    // The directory tree: every referenced pair must be on the chain; every file must read back.
    let chainBlocks = Set(chain.joined())
    var referenced: Set<Int> = Set(root)
    var visited: Set<Int> = []
    var queue: [([Int], [UInt8])] = [(root, [])]
    while let (pair, prefix) = queue.popLast() {
      let entries: [LittleFSEntry]
      do {
        entries = try directoryEntries(pair: pair, prefix: prefix, visited: &visited)
      } catch {
        problems.append(LittleFSProblem(.error, block: pair[0], path: prefix.isEmpty ? "/" : Self.text(prefix), "\(error)"))
        continue
      }
      var cursor = pair
      while let fetched = Self.fetch(bytes, pair: cursor, blockSize: blockSize), fetched.state.tailIsHard, let tail = fetched.state.tail {
        cursor = [Int(tail.0), Int(tail.1)]
        referenced.formUnion(cursor)
        if referenced.count > blockCount * 2 { break }
      }
      for entry in entries {
        let name = entry.pathBytes.split(separator: UInt8(ascii: "/")).last ?? []
        if name.count > superblock.nameMax {
          problems.append(LittleFSProblem(.error, block: entry.block, path: entry.path,
            "name is \(name.count) bytes, the superblock's name_max is \(superblock.nameMax)"))
        }
        switch entry.storage {
        case .directory(let child):
          referenced.formUnion(child)
          if !child.allSatisfy({ chainBlocks.contains($0) }) {
            problems.append(LittleFSProblem(.error, block: child[0], path: entry.path, "directory pair {\(child[0]), \(child[1])} is not on the metadata chain"))
          }
          queue.append((child, entry.pathBytes))
        case .ctz(let head):
          if entry.size > superblock.fileMax {
            problems.append(LittleFSProblem(.error, block: head, path: entry.path, "size \(entry.size) exceeds file_max \(superblock.fileMax)"))
            continue
          }
          do {
            let blocks = try LFSCTZ.blocks(bytes, head: head, size: entry.size, blockSize: blockSize, blockCount: blockCount, path: entry.path)
            for block in blocks { claim(block, entry.path) }
          } catch {
            problems.append(LittleFSProblem(.error, block: head, path: entry.path, "\(error)"))
          }
        case .inline, .none:
          break
        }
      }
    }
    for pair in chain where !pair.contains(where: { referenced.contains($0) }) && !pair.contains(0) {
      problems.append(LittleFSProblem(.warning, block: pair[0], "metadata pair {\(pair[0]), \(pair[1])} is an orphan: on the chain but no directory names it"))
    }
    return problems
  }
}
