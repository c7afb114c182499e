/// One entry of a metadata pair after replaying its log (littlefs-format.md §3.6).
struct LFSEntryState: Sendable {
  var nameTag: LFSTag?
  var name: [UInt8] = []
  var structTag: LFSTag?
  var structData: [UInt8] = []
  /// User attributes by type byte ('t' = 0x74, 'c' = 0x63), raw bytes.
  var attributes: [UInt8: [UInt8]] = [:]
}

/// The live state of one metadata pair: entries by id, its tail and its gstate delta (§3.6, §4 step 3).
struct LFSDirState: Sendable {
  var entries: [LFSEntryState] = []
  var tail: (UInt32, UInt32)?
  var tailIsHard = false
  var moveDelta: [UInt8]?

  init(log: LFSBlockLog, bytes: [UInt8], blockSize: Int) {
    let base = log.block * blockSize
    for item in log.tags {
      let tag = item.tag
      let id = Int(tag.id)
      let data = Array(bytes[base + item.dataOffset..<base + item.dataOffset + tag.dataSize])
      switch tag.type1 {
      case LFSType.splice:
        if tag.type == LFSType.create {
          if id <= entries.count { entries.insert(LFSEntryState(), at: id) } else { grow(to: id + 1) }
        } else if tag.type == LFSType.delete, id < entries.count {
          entries.remove(at: id)
        }
      case LFSType.name:
        grow(to: id + 1)
        entries[id].nameTag = tag
        entries[id].name = data
      case LFSType.structType:
        guard id < 0x3FF else { continue }
        grow(to: id + 1)
        entries[id].structTag = tag
        entries[id].structData = data
      case LFSType.userAttr:
        guard id < 0x3FF else { continue }
        grow(to: id + 1)
        if tag.isDelete { entries[id].attributes[UInt8(tag.chunk)] = nil } else { entries[id].attributes[UInt8(tag.chunk)] = data }
      case LFSType.tail where data.count >= 8:
        tail = (LE.u32(data, 0), LE.u32(data, 4))
        tailIsHard = tag.chunk & 1 == 1
      case LFSType.gstate where tag.type == LFSType.moveState:
        moveDelta = data
      default:
        break
      }
    }
    if let t = tail, t.0 == 0xFFFF_FFFF, t.1 == 0xFFFF_FFFF { tail = nil }
  }

  private mutating func grow(to count: Int) {
    while entries.count < count { entries.append(LFSEntryState()) }
  }

  /// Entry 0 is the superblock ("littlefs" under type 0x0FF).
  var hasSuperblock: Bool {
    guard let first = entries.first, let tag = first.nameTag else { return false }
    return tag.type == LFSType.superblock && first.name == Array("littlefs".utf8)
  }
}
