/// littlefs' program cache (`lfs_bd_prog`/`lfs_bd_flush`): bytes collect in one program unit that is written
/// when full or flushed; the unwritten rest of the unit is 0xFF (§6.7). A dropped cache loses its bytes,
/// which is how an aborted append leaves only its completed units on disk.
struct LFSProgCache {
  var block = -1
  var off = 0
  var size = 0
  var buffer: [UInt8]

  init(unit: Int) { buffer = [UInt8](repeating: 0xFF, count: unit) }

  mutating func prog(_ disk: inout [UInt8], blockSize: Int, block b: Int, offset: Int, _ data: some Collection<UInt8>) {
    var o = offset
    for byte in data {
      if block != b || o < off || o >= off + buffer.count {
        flush(&disk, blockSize: blockSize)
        block = b
        off = o - o % buffer.count
        size = 0
      }
      buffer[o - off] = byte
      size = max(size, o - off + 1)
      o += 1
      if size == buffer.count { flush(&disk, blockSize: blockSize) }
    }
  }

  mutating func flush(_ disk: inout [UInt8], blockSize: Int) {
    guard block >= 0, size > 0 else { drop(); return }
    let start = block * blockSize + off
    disk.replaceSubrange(start..<start + buffer.count, with: buffer)
    drop()
  }

  mutating func drop() {
    block = -1
    size = 0
    for i in buffer.indices { buffer[i] = 0xFF }
  }
}
