/// What `lfs_dir_find` found: the pair holding (or to hold) the last path component and its id.
struct LFSLookup {
  var dir: LFSMDir
  var id: Int
  var found: Bool
  var isRoot: Bool
  var type: UInt32?
}

/// A file open for writing (`lfs_file_t` as far as the bytes need it).
struct LFSOpenFile {
  var m: LFSMDir
  var id: Int
  var size = 0
  var inline: [UInt8] = []
  var head = -1
  var erred = false
}

extension LFSEngine {
  /// `lfs_dir_find`: walks the path from the root; a missing last component gives the insertion point
  /// (the first pair with a greater name, else the directory's last pair, §6.6).
  func find(_ path: [[UInt8]]) throws(LFSEngineError) -> LFSLookup {
    var pair = root
    if path.isEmpty { return LFSLookup(dir: try fetch(root), id: 0x3FF, found: true, isRoot: true, type: LFSType.dir) }
    for (index, name) in path.enumerated() {
      let last = index == path.count - 1
      while true {
        let dir = try fetch(pair)
        let st = state(dir)
        var insertion = dir.count
        var match: (id: Int, type: UInt32, data: [UInt8])?
        for (id, entry) in st.entries.enumerated() {
          guard let tag = entry.nameTag, tag.type & 0x780 == 0 else { continue }
          if entry.name == name { match = (id, tag.type, entry.structData); break }
          if Self.sortsAfter(entry.name, name) { insertion = min(insertion, id) }
        }
        if let match {
          if last { return LFSLookup(dir: dir, id: match.id, found: true, isRoot: false, type: match.type) }
          guard match.type == LFSType.dir, match.data.count >= 8 else { throw .notDirectory }
          pair = [Int(LE.u32(match.data, 0)), Int(LE.u32(match.data, 4))]
          break
        }
        if insertion < dir.count || !dir.split {
          guard last else { throw .notFound }
          return LFSLookup(dir: dir, id: insertion, found: false, isRoot: false, type: nil)
        }
        pair = dir.tail
      }
    }
    throw .notFound
  }

  /// Whether the stored name `a` counts as greater than the new name `b` in littlefs' lookup: memcmp of the
  /// common prefix, and on a tie the *longer new* name wins, so "ab" is inserted before an existing "a"
  /// (observed in every vector: /names lists Zebra, a.b, ab, a).
  static func sortsAfter(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    for (x, y) in zip(a, b) where x != y { return x > y }
    return a.count < b.count
  }

  /// `lfs_mkdir` (§6.6). Throws `.exists` when the path is already there.
  func mkdir(_ path: [[UInt8]]) throws(LFSEngineError) {
    let found = try find(path)
    if found.found { throw .exists }
    let name = path[path.count - 1]
    guard name.count <= config.nameMax else { throw .nameTooLong }
    ack()
    var dir = try allocDir()
    var pred = found.dir
    while pred.split { pred = try fetch(pred.tail) }
    try commit(&dir, [LFSAttr(tag: LFSTag(type: LFSType.softTail, id: LFSType.noID, size: 8), data: pairBytes(pred.tail))])
    var cwd = found.dir
    if cwd.split {
      // Linking the new pair after the directory's last pair first leaves an orphan for a moment (§6.6).
      prepOrphans(+1)
      try commit(&pred, [LFSAttr(tag: LFSTag(type: LFSType.softTail, id: LFSType.noID, size: 8), data: pairBytes(dir.pair))])
      prepOrphans(-1)
    }
    let id = UInt32(found.id)
    var attrs = [
      LFSAttr(tag: LFSTag(type: LFSType.create, id: id, size: 0), data: []),
      LFSAttr(tag: LFSTag(type: LFSType.dir, id: id, size: UInt32(name.count)), data: name),
      LFSAttr(tag: LFSTag(type: LFSType.dirStruct, id: id, size: 8), data: pairBytes(dir.pair)),
    ]
    if !cwd.split {
      attrs.append(LFSAttr(tag: LFSTag(type: LFSType.softTail, id: LFSType.noID, size: 8), data: pairBytes(dir.pair)))
    }
    try commit(&cwd, attrs)
  }

  func prepOrphans(_ n: Int32) {
    var tag = gstate.tag &+ UInt32(bitPattern: n)
    let has = tag & 0x1FF != 0
    tag = tag & ~0x8000_0000 | (has ? 0x8000_0000 : 0)
    gstate.tag = tag
  }

  func pairBytes(_ pair: [Int]) -> [UInt8] {
    LE.bytes(UInt32(truncatingIfNeeded: pair[0])) + LE.bytes(UInt32(truncatingIfNeeded: pair[1]))
  }

  /// `lfs_file_open(CREAT|TRUNC|WRONLY)` of a new name: one commit {CREATE, REG name, empty INLINESTRUCT}.
  func create(_ path: [[UInt8]]) throws(LFSEngineError) -> LFSOpenFile {
    let found = try find(path)
    if found.found { throw .exists }
    let name = path[path.count - 1]
    guard name.count <= config.nameMax else { throw .nameTooLong }
    var m = found.dir
    let id = UInt32(found.id)
    do {
      try commit(&m, [
        LFSAttr(tag: LFSTag(type: LFSType.create, id: id, size: 0), data: []),
        LFSAttr(tag: LFSTag(type: LFSType.reg, id: id, size: UInt32(name.count)), data: name),
        LFSAttr(tag: LFSTag(type: LFSType.inlineStruct, id: id, size: 0), data: []),
      ])
    } catch .noSpace {
      throw .nameTooLong
    }
    var file = LFSOpenFile(m: m, id: found.id)
    // The create may have split the pair: the entry then lives in the tail (littlefs' open-handle fix-up).
    while file.id >= file.m.count, file.m.split {
      if Set(file.m.tail) != Set(root) { file.id -= file.m.count }
      file.m = try fetch(file.m.tail)
    }
    return file
  }

  /// `lfs_file_write` of the whole content: inline while it fits, else a CTZ skip-list written through
  /// the file's program cache, one block at a time (§6.6).
  func write(_ file: inout LFSOpenFile, _ content: [UInt8]) throws(LFSEngineError) {
    file.size = content.count
    guard content.count > config.inlineMax else { file.inline = content; return }
    var cache = LFSProgCache(unit: config.progSize)
    var block = -1, off = 0, pos = 0
    defer { openFileBlocks = nil }
    do {
      ack()
      block = try allocate()
      erase(block)
      openFileBlocks = (block, 0)
      while pos < content.count {
        if off == B {
          ack()
          let next = try allocate()
          erase(next)
          let index = LFSCTZ.index(of: pos - 1, blockSize: B).index + 1
          let skips = index.trailingZeroBitCount + 1
          var nhead = block
          for i in 0..<skips {
            cache.prog(&disk, blockSize: B, block: next, offset: 4 * i, LE.bytes(UInt32(nhead)))
            if i != skips - 1 { nhead = Int(readU32(nhead, 4 * i)) }
          }
          block = next
          off = 4 * skips
        }
        let n = min(content.count - pos, B - off)
        cache.prog(&disk, blockSize: B, block: block, offset: off, content[pos..<pos + n])
        pos += n
        off += n
        openFileBlocks = (block, pos)
        ack()
      }
      cache.flush(&disk, blockSize: B)
      file.head = block
      openFileBlocks = (block, pos)
    } catch {
      file.erred = true
      throw error
    }
  }

  /// `lfs_file_close`: commit the inline content or the CTZ reference; an empty file commits nothing.
  /// `attributes` (type, bytes) join the close commit, as esp_littlefs commits 't' with the file.
  func close(_ file: inout LFSOpenFile, attributes: [(UInt8, [UInt8])] = []) throws(LFSEngineError) {
    guard !file.erred else { return }
    let id = UInt32(file.id)
    let extra = attributes.map { LFSAttr(tag: LFSTag(type: LFSType.userAttr + UInt32($0.0), id: id, size: UInt32($0.1.count)), data: $0.1) }
    if file.size == 0 {
      if !extra.isEmpty { try commit(&file.m, extra) }
    } else if file.head < 0 {
      try commit(&file.m, [LFSAttr(tag: LFSTag(type: LFSType.inlineStruct, id: id, size: UInt32(file.size)), data: file.inline)] + extra)
    } else {
      openFileBlocks = (file.head, file.size)
      defer { openFileBlocks = nil }
      try commit(&file.m, [LFSAttr(tag: LFSTag(type: LFSType.ctzStruct, id: id, size: 8),
                                   data: LE.bytes(UInt32(file.head)) + LE.bytes(UInt32(file.size)))] + extra)
    }
  }

  /// `lfs_setattr`: one commit with the attribute; the root's attributes live on id 0 of the root pair.
  func setAttr(_ path: [[UInt8]], type: UInt8, _ data: [UInt8]) throws(LFSEngineError) {
    let found = try find(path)
    guard found.found else { throw .notFound }
    var dir = found.dir
    var id = UInt32(found.id)
    if found.isRoot {
      id = 0
      dir = try fetch(root)
    }
    try commit(&dir, [LFSAttr(tag: LFSTag(type: LFSType.userAttr + UInt32(type), id: id, size: UInt32(data.count)), data: data)])
  }
}
