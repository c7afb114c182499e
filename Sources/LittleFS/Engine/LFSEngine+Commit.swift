/// An open commit (`struct lfs_commit`): where the next tag goes, the XOR chain and the running CRC.
struct LFSCommit {
  var block: Int
  var off: Int
  var ptag: UInt32 = 0xFFFF_FFFF
  var crc: UInt32 = 0xFFFF_FFFF
  /// Tags must end before here (block size − 8, room for the CRC).
  var end: Int
}

extension LFSEngine {
  /// `lfs_dir_commit`: append the attributes as one commit if the pair is appendable, otherwise (or when
  /// the append runs out of room) compact (§6.4).
  func commit(_ dir: inout LFSMDir, _ attrs: [LFSAttr]) throws(LFSEngineError) {
    for attr in attrs {
      if attr.tag.type == LFSType.create { dir.count += 1 }
      else if attr.tag.type == LFSType.delete { dir.count -= 1 }
      else if attr.tag.type1 == LFSType.tail {
        dir.tail = [Int(LE.u32(attr.data, 0)), Int(LE.u32(attr.data, 4))]
        dir.split = attr.tag.chunk & 1 == 1
      }
    }
    if dir.erased || dir.count >= 0xFF {
      var c = LFSCommit(block: dir.pair[0], off: dir.off, ptag: dir.etag, end: B - 8)
      do {
        for attr in attrs { try commitAttr(&c, attr.tag, attr.data) }
        var delta = gstate ^ gdisk ^ gdelta
        delta.tag &= ~UInt32(0x3FF)
        if !delta.isZero {
          delta = delta ^ pairGState(dir)
          try commitAttr(&c, LFSTag(type: LFSType.moveState, id: LFSType.noID, size: 12), delta.bytes)
        }
        try commitCRC(&c)
        dir.off = c.off
        dir.etag = c.ptag
        gdisk = gstate
        gdelta = LFSGState()
        return
      } catch .noSpace {
        // fall back to compaction; bytes of completed program units stay on disk
      }
    }
    pcache.drop()
    let source = dir
    try splittingCompact(&dir, attrs, source: source, begin: 0, end: dir.count)
  }

  func prog(_ c: inout LFSCommit, _ bytes: [UInt8]) {
    pcache.prog(&disk, blockSize: B, block: c.block, offset: c.off, bytes)
    c.crc = LFSCRC.update(c.crc, bytes)
    c.off += bytes.count
  }

  /// `lfs_dir_commitattr`: one tag, XOR-chained and big-endian, then its data.
  func commitAttr(_ c: inout LFSCommit, _ tag: LFSTag, _ data: [UInt8]) throws(LFSEngineError) {
    guard c.off + tag.diskSize <= c.end else { throw .noSpace }
    let plain = tag.raw & 0x7FFF_FFFF
    let stored = plain ^ c.ptag
    prog(&c, [UInt8(stored >> 24), UInt8((stored >> 16) & 0xFF), UInt8((stored >> 8) & 0xFF), UInt8(stored & 0xFF)])
    if tag.dataSize > 0 { prog(&c, Array(data.prefix(tag.dataSize))) }
    c.ptag = plain
  }

  /// The first byte of a block position as it is on disk now (0xFF past the block end).
  func diskByte(_ block: Int, _ off: Int, need: Int) -> UInt8 {
    off + need <= B ? disk[block * B + off] : 0xFF
  }

  /// `lfs_dir_commitcrc`: CRC tag(s) padding the commit to the program unit, with the valid-state bit
  /// chosen from the erased bytes that follow; on-disk 2.1 adds an FCRC and reserves 20 bytes (§3.4).
  func commitCRC(_ c: inout LFSCommit) throws(LFSEngineError) {
    let prog = config.progSize
    func alignUp(_ v: Int) -> Int { (v + prog - 1) / prog * prog }
    if !config.littlefs29 {
      let end = alignUp(c.off + 8)
      while c.off < end {
        let off = c.off + 4
        var noff = min(end - off, 0x3FE) + off
        if noff < end { noff = min(noff, end - 8) }
        let reset: UInt32 = diskByte(c.block, noff, need: 4) & 0x80 == 0 ? 1 : 0
        try writeCCRC(&c, type: LFSType.crc + reset, noff: noff, perturb: reset)
      }
      pcache.flush(&disk, blockSize: B)
      return
    }
    let end = alignUp(min(c.off + 20, B))
    while c.off < end {
      var noff = min(end - (c.off + 4), 0x3FE) + (c.off + 4)
      if noff < end { noff = min(noff, end - 20) }
      var perturb: UInt8 = 0xFF
      if noff >= end, noff <= B - prog {
        perturb = disk[c.block * B + noff]
        if config.fcrc {
          let crc = LFSCRC.update(0xFFFF_FFFF, disk, c.block * B + noff..<c.block * B + noff + prog)
          try commitAttr(&c, LFSTag(type: LFSType.fcrc, id: LFSType.noID, size: 8), LE.bytes(UInt32(prog)) + LE.bytes(crc))
        }
      }
      let reset: UInt32 = perturb & 0x80 == 0 ? 1 : 0
      try writeCCRC(&c, type: LFSType.crc + reset, noff: noff, perturb: reset)
      if noff >= end || noff >= pcache.off + prog { pcache.flush(&disk, blockSize: B) }
    }
  }

  private func writeCCRC(_ c: inout LFSCommit, type: UInt32, noff: Int, perturb reset: UInt32) throws(LFSEngineError) {
    let tag = LFSTag(type: type, id: LFSType.noID, size: UInt32(noff - (c.off + 4)))
    let stored = tag.raw ^ c.ptag
    let word = [UInt8(stored >> 24), UInt8((stored >> 16) & 0xFF), UInt8((stored >> 8) & 0xFF), UInt8(stored & 0xFF)]
    let crc = LFSCRC.update(c.crc, word)
    pcache.prog(&disk, blockSize: B, block: c.block, offset: c.off, word + LE.bytes(crc))
    c.off = noff
    c.ptag = tag.raw ^ (reset << 31)
    c.crc = 0xFFFF_FFFF
  }

  /// The tags of `dir`'s active block up to its commit end, in log order (`lfs_dir_traverse` over disk).
  func diskTags(_ dir: LFSMDir) -> [LFSAttr] {
    var result: [LFSAttr] = []
    var off = 4
    var ptag: UInt32 = 0xFFFF_FFFF
    let base = dir.pair[0] * B
    while off + 4 <= dir.off {
      let tag = LFSTag(raw: (LE.be32(disk, base + off) ^ ptag) & 0x7FFF_FFFF)
      guard off + tag.diskSize <= B else { break }
      result.append(LFSAttr(tag: tag, data: Array(disk[base + off + 4..<base + off + tag.diskSize])))
      ptag = tag.raw | 0x8000_0000
      off += tag.diskSize
    }
    return result
  }
}
