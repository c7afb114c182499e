extension Flasher {
  /// READ_FLASH_SLOW commands in flight at once. The ROM answers at most 64 bytes per command (§7), so the
  /// commands cannot be made larger; they can be sent ahead. The ROM reads its UART through the 128-byte
  /// hardware RX FIFO and handles one command at a time, in order (ESP32 TRM, UART chapter: 128-byte FIFO;
  /// inferred, not verified on silicon): 4 queued commands of 18 wire bytes stay well inside it, so none
  /// is dropped while the ROM is still sending the previous reply, and the host never sits idle between
  /// a reply and its next request.
  public static let romReadWindow = 4

  /// `readWithROM` with up to `romReadWindow` commands outstanding; replies come back in order.
  func readWithROMPipelined(offset: UInt32, size: Int, progress: ProgressHandler?) throws(LoaderError) -> [UInt8] {
    var data: [UInt8] = []
    data.reserveCapacity(size)
    var sentUpTo = 0
    var inFlight: [(at: Int, length: Int)] = []
    while data.count < size {
      while inFlight.count < Self.romReadWindow && sentUpTo < size {
        let length = min(64, size - sentUpTo)
        let at = Int(offset) + sentUpTo
        try connection.send(.readFlashSlow(offset: UInt32(at), length: UInt32(length)))
        inFlight.append((at, length))
        sentUpTo += length
      }
      let next = inFlight.removeFirst()
      // The ROM always answers with 64 data bytes, whatever the length (§2).
      let reply = try connection.awaitReply(to: .readFlashSlow, timeout: 3, expectedDataLength: 64,
                                            context: "at \(hexAddress(next.at))")
      guard let chunk = reply.payload(expectedDataLength: 64) else {
        throw .malformedReply(command: "READ_FLASH_SLOW",
                              reason: "\(reply.data.count) bytes at \(hexAddress(next.at)), expected 64 + status")
      }
      data += chunk.prefix(next.length)
      progress?(data.count, size)
    }
    return data
  }
}
