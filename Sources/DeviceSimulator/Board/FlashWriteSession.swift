/// A FLASH_BEGIN or FLASH_DEFL_BEGIN in progress.
struct FlashWriteSession {
  enum Encoding { case plain, deflate }

  var encoding: Encoding
  var offset: Int
  var numBlocks: Int
  var blockSize: Int
  /// Most bytes this session may put into flash: ROM plain = num_blocks × block_size; ROM deflate =
  /// the rounded write size; stub = the exact size from BEGIN.
  var limit: Int
  var nextSeq = 0
  /// Bytes (decompressed) written from `offset` so far.
  var written = 0
  var inflater: Inflater?
  /// Stub only: the next address not yet erased (stubs erase just in time, §6.1).
  var erasedUpTo: Int
  /// Stub only: an error found while processing an already-acknowledged block, reported on the next
  /// DATA or END (§2: "write errors surface on the next DATA/END").
  var pendingError: LoaderFailure?

  init(encoding: Encoding, offset: Int, numBlocks: Int, blockSize: Int, limit: Int) {
    self.encoding = encoding
    self.offset = offset
    self.numBlocks = numBlocks
    self.blockSize = blockSize
    self.limit = limit
    self.erasedUpTo = offset / NORFlash.sectorSize * NORFlash.sectorSize
    if encoding == .deflate { inflater = Inflater() }
  }
}

/// A stub READ_FLASH in progress: one packet in flight, the next one after the host's ACK, then the MD5
/// of everything (§7).
struct ReadTransfer {
  var offset: Int
  var length: Int
  var packetSize: Int
  var sent = 0
  var digest: [UInt8] = []
}

/// The ESP8266 ROM's `SPIEraseArea` bug (`rom-protocol.md` §5.3): it erases the head sectors up to the
/// next 64 KiB boundary (at most the total), then the *total* again, never subtracting the head.
public enum ESP8266EraseBug {
  /// Sectors `[first, first + count)` the ROM erases for FLASH_BEGIN(erase_size, …, offset).
  public static func erasedSectors(offset: UInt32, eraseSize: UInt32) -> (first: Int, count: Int) {
    let sectorSize = UInt32(NORFlash.sectorSize)
    let first = Int(offset / sectorSize)
    let total = Int((UInt64(eraseSize) + UInt64(sectorSize) - 1) / UInt64(sectorSize))
    let head = 16 - first % 16
    return (first, total + min(total, head))
  }
}
