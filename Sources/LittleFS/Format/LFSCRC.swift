/// littlefs' CRC-32: polynomial 0x04C11DB7 reflected, no final inversion (littlefs-format.md §3.4). Callers
/// pass the running value: 0xFFFFFFFF to start a commit, 0 for the allocator seed (§6.2).
enum LFSCRC {
  static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func update(_ crc: UInt32, _ bytes: some Sequence<UInt8>) -> UInt32 {
    var c = crc
    for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return c
  }

  static func update(_ crc: UInt32, _ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
    var c = crc
    bytes.withUnsafeBufferPointer { p in
      for i in range { c = table[Int((c ^ UInt32(p[i])) & 0xFF)] ^ (c >> 8) }
    }
    return c
  }

  static func update(_ crc: UInt32, word: UInt32, bigEndian: Bool) -> UInt32 {
    let w = bigEndian ? word.bigEndian : word.littleEndian
    return withUnsafeBytes(of: w) { update(crc, $0) }
  }
}
