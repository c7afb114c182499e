/// One tag of a parsed metadata log and where it sits in its block.
struct LFSLogTag: Sendable {
  var tag: LFSTag
  /// Offset of the tag word in the block; the data follows at `offset + 4`.
  var offset: Int
  var dataOffset: Int { offset + 4 }
}

/// The committed prefix of one metadata block (littlefs-format.md §3.2–3.4, §4 step 2): every tag up to the
/// last commit whose CRC matched, CRC tags included (compaction and traversal walk them in log order).
struct LFSBlockLog: Sendable {
  /// Why parsing stopped after the last good commit (for `check`).
  enum Stop: Sendable, Equatable {
    case erased                 // an invalid tag: the normal end of a log
    case crcMismatch(offset: Int, expected: UInt32, found: UInt32)
    case crossesBlockEnd(offset: Int)
  }

  var block: Int
  var revision: UInt32
  var tags: [LFSLogTag] = []
  /// Offset just after the last valid commit (its CRC tag and padding); 0 when no commit is valid.
  var end = 0
  /// The previous-tag value a commit appended at `end` must XOR against.
  var etag: UInt32 = 0xFFFF_FFFF
  /// The CRC of every valid commit, in order (folded into the allocator seed at mount, §6.2).
  var commitCRCs: [UInt32] = []
  /// Whether littlefs would append here rather than compact (§6.4).
  var erased = false
  var stop: Stop = .erased

  var hasCommit: Bool { end > 0 }

  /// Parses block `block` of `bytes` (blocks of `blockSize`). `progSize` decides the "erased" test;
  /// `fcrcRequired` applies the on-disk 2.1 rule that an append needs a matching FCRC (§3.4).
  init(bytes: [UInt8], block: Int, blockSize: Int, progSize: Int = 1, fcrcRequired: Bool = false) {
    let base = block * blockSize
    self.block = block
    revision = LE.u32(bytes, base)
    var crc = LFSCRC.update(0xFFFF_FFFF, bytes, base..<base + 4)
    var ptag: UInt32 = 0xFFFF_FFFF
    var off = 4
    var pending: [LFSLogTag] = []
    var lastWasCRC = false
    var fcrc: (size: Int, crc: UInt32)?
    var commitFCRC: (size: Int, crc: UInt32)?
    while true {
      guard off + 4 <= blockSize else { erased = false; stop = .crossesBlockEnd(offset: off); break }
      let stored = LE.be32(bytes, base + off)
      let tag = LFSTag(raw: stored ^ ptag)
      if !tag.isValid {
        erased = lastWasCRC && end % progSize == 0
        if erased, fcrcRequired {
          if let f = commitFCRC, end + f.size <= blockSize {
            erased = LFSCRC.update(0xFFFF_FFFF, bytes, base + end..<base + end + f.size) == f.crc
          } else {
            erased = false
          }
        }
        stop = .erased
        break
      }
      guard off + tag.diskSize <= blockSize else { erased = false; stop = .crossesBlockEnd(offset: off); break }
      crc = LFSCRC.update(crc, bytes, base + off..<base + off + 4)
      ptag = tag.raw
      if tag.type & 0x780 == LFSType.crc {
        guard off + 8 <= blockSize else { erased = false; stop = .crossesBlockEnd(offset: off); break }
        let stored = LE.u32(bytes, base + off + 4)
        guard stored == crc else {
          erased = false
          stop = .crcMismatch(offset: off, expected: crc, found: stored)
          break
        }
        ptag ^= (tag.chunk & 1) << 31
        pending.append(LFSLogTag(tag: tag, offset: off))
        tags += pending
        pending.removeAll()
        commitCRCs.append(crc)
        end = off + tag.diskSize
        etag = ptag
        commitFCRC = fcrc
        fcrc = nil
        crc = 0xFFFF_FFFF
        lastWasCRC = true
      } else {
        crc = LFSCRC.update(crc, bytes, base + off + 4..<base + off + tag.diskSize)
        if tag.type == LFSType.fcrc, tag.dataSize >= 8 {
          fcrc = (Int(LE.u32(bytes, base + off + 4)), LE.u32(bytes, base + off + 8))
        }
        pending.append(LFSLogTag(tag: tag, offset: off))
        lastWasCRC = false
      }
      off += tag.diskSize
    }
  }

  /// `a` is newer than `b` in sequence order (§3.2).
  static func isNewer(_ a: UInt32, than b: UInt32) -> Bool { Int32(bitPattern: a &- b) > 0 }
}
