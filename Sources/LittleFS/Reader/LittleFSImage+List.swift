extension LittleFSImage {
  /// Every entry depth-first in littlefs directory order (by name bytes), the root first (§4 steps 5–6).
  public func list() throws(LittleFSReadError) -> [LittleFSEntry] {
    let (rootLog, rootState) = try fetchPair(root, path: "/")
    var result = [LittleFSEntry(path: "/", pathBytes: Array("/".utf8), kind: .root, size: 0,
                                storage: .directory(pair: root), attributes: rootState.entries.first?.attributes ?? [:],
                                block: rootLog.block, id: 0)]
    var visited: Set<Int> = []
    try walk(pair: root, prefix: [], into: &result, visited: &visited)
    return result
  }

  /// The entries of one directory, its pairs followed through HARDTAILs (§3.8).
  func directoryEntries(pair first: [Int], prefix: [UInt8], visited: inout Set<Int>) throws(LittleFSReadError) -> [LittleFSEntry] {
    var entries: [LittleFSEntry] = []
    var pair = first
    let dirPath = prefix.isEmpty ? "/" : Self.text(prefix)
    while true {
      guard visited.insert(pair[0]).inserted, visited.insert(pair[1]).inserted else { throw .cycle(block: pair[0]) }
      let (log, state) = try fetchPair(pair, path: dirPath)
      for (id, entry) in state.entries.enumerated() {
        guard let nameTag = entry.nameTag, nameTag.type == LFSType.reg || nameTag.type == LFSType.dir else { continue }
        if let moved = movedEntry, moved.pair == Set(pair), moved.id == id { continue }
        let path = prefix + [UInt8(ascii: "/")] + entry.name
        var kind = LittleFSEntry.Kind.file
        var size = 0
        var storage = LittleFSEntry.Storage.none
        if nameTag.type == LFSType.dir {
          kind = .directory
          guard entry.structTag?.type == LFSType.dirStruct, entry.structData.count >= 8 else {
            throw .corruptPair(block0: pair[0], block1: pair[1], path: Self.text(path) + " (directory without a pair)")
          }
          storage = .directory(pair: [Int(LE.u32(entry.structData, 0)), Int(LE.u32(entry.structData, 4))])
        } else if let tag = entry.structTag {
          if tag.type == LFSType.inlineStruct {
            size = entry.structData.count
            storage = .inline
          } else if tag.type == LFSType.ctzStruct, entry.structData.count >= 8 {
            size = Int(LE.u32(entry.structData, 4))
            storage = size == 0 ? .none : .ctz(head: Int(LE.u32(entry.structData, 0)))
          }
        }
        entries.append(LittleFSEntry(path: Self.text(path), pathBytes: path, kind: kind, size: size, storage: storage,
                                     attributes: entry.attributes, block: log.block, id: id))
      }
      guard state.tailIsHard, let tail = state.tail else { break }
      pair = [Int(tail.0), Int(tail.1)]
    }
    return entries
  }

  private func walk(pair: [Int], prefix: [UInt8], into result: inout [LittleFSEntry], visited: inout Set<Int>) throws(LittleFSReadError) {
    for entry in try directoryEntries(pair: pair, prefix: prefix, visited: &visited) {
      result.append(entry)
      if case .directory(let child) = entry.storage {
        try walk(pair: child, prefix: entry.pathBytes, into: &result, visited: &visited)
      }
    }
  }

  /// The entry at `path` ("/a/b"; leading, repeated and trailing slashes ignored).
  public func entry(at path: String) throws(LittleFSReadError) -> LittleFSEntry {
    let parts = path.split(separator: "/").map { Array($0.utf8) }
    if parts.isEmpty { return try list()[0] }
    var pair = root
    var prefix: [UInt8] = []
    var visited: Set<Int> = []
    for (index, name) in parts.enumerated() {
      let entries = try directoryEntries(pair: pair, prefix: prefix, visited: &visited)
      guard let found = entries.first(where: { Array($0.pathBytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last ?? []) == name }) else {
        throw .notFound(path: path)
      }
      if index == parts.count - 1 { return found }
      guard case .directory(let child) = found.storage else { throw .notFound(path: path) }
      pair = child
      prefix = found.pathBytes
    }
    throw .notFound(path: path)
  }

  /// The contents of the file at `path`.
  public func read(_ path: String) throws(LittleFSReadError) -> [UInt8] {
    let found = try entry(at: path)
    guard found.kind == .file else { throw .notAFile(path: path) }
    return try contents(of: found)
  }

  /// The contents of a listed file: inline bytes or the CTZ skip-list (§3.9).
  public func contents(of entry: LittleFSEntry) throws(LittleFSReadError) -> [UInt8] {
    switch entry.storage {
    case .none, .directory: return []
    case .inline:
      let (_, state) = try fetchPair(pairHolding(entry), path: entry.path)
      return entry.id < state.entries.count ? state.entries[entry.id].structData : []
    case .ctz(let head):
      return try LFSCTZ.read(bytes, head: head, size: entry.size, blockSize: blockSize, blockCount: blockCount,
                             path: entry.path)
    }
  }

  /// The pair whose active block is `entry.block`.
  func pairHolding(_ entry: LittleFSEntry) -> [Int] {
    chain.first { $0.contains(entry.block) } ?? [entry.block, entry.block]
  }

  static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
