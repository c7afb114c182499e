/// CTZ skip-list arithmetic and reading (littlefs-format.md §3.9).
enum LFSCTZ {
  /// Which block index holds byte `pos` and at which offset (pointers included).
  static func index(of pos: Int, blockSize: Int) -> (index: Int, offset: Int) {
    let b = blockSize - 8
    var i = pos / b
    if i == 0 { return (0, pos) }
    i = (pos - 4 * ((i - 1).nonzeroBitCount + 2)) / b
    return (i, pos - b * i - 4 * i.nonzeroBitCount)
  }

  /// Bytes of pointers at the start of block `i`.
  static func pointerBytes(_ i: Int) -> Int { i == 0 ? 0 : 4 * (i.trailingZeroBitCount + 1) }

  /// The blocks of a file from index 0 to the head, checked against the block count.
  static func blocks(_ bytes: [UInt8], head: Int, size: Int, blockSize: Int, blockCount: Int,
                     path: String) throws(LittleFSReadError) -> [Int] {
    guard size > 0 else { return [] }
    let last = index(of: size - 1, blockSize: blockSize).index
    guard last < blockCount else {
      throw .corruptFile(path: path, block: head, reason: "size \(size) needs \(last + 1) blocks, the file system has \(blockCount)")
    }
    var blocks = [Int](repeating: 0, count: last + 1)
    var block = head
    var i = last
    while true {
      guard block >= 0, block < blockCount, (block + 1) * blockSize <= bytes.count else {
        throw .blockOutOfRange(block: block, blockCount: blockCount, path: path)
      }
      blocks[i] = block
      if i == 0 { break }
      block = Int(LE.u32(bytes, block * blockSize))
      i -= 1
    }
    return blocks
  }

  static func read(_ bytes: [UInt8], head: Int, size: Int, blockSize: Int, blockCount: Int,
                   path: String) throws(LittleFSReadError) -> [UInt8] {
    let list = try blocks(bytes, head: head, size: size, blockSize: blockSize, blockCount: blockCount, path: path)
    var out: [UInt8] = []
    out.reserveCapacity(size)
    for (i, block) in list.enumerated() {
      let start = block * blockSize + pointerBytes(i)
      let take = min(blockSize - pointerBytes(i), size - out.count)
      out += bytes[start..<start + take]
    }
    return out
  }
}
