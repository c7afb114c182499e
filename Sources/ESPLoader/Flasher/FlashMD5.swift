extension Flasher {
  /// SPI_FLASH_MD5 of a flash region (§2): 32 hex characters from a ROM, 16 raw bytes from a stub.
  public func flashMD5(offset: UInt32, size: Int) throws(LoaderError) -> [UInt8] {
    guard !isESP8266ROM else {
      throw .unsupported(operation: "an MD5 of flash", loader: loaderName,
                         reason: "the ESP8266 ROM has no SPI_FLASH_MD5 command",
                         remedy: "use the flasher stub (--stub auto with esptool installed, or --stub PATH)")
    }
    guard !secureDownloadMode else {
      throw .unsupported(operation: "an MD5 of flash", loader: loaderName,
                         reason: "the ROM refuses SPI_FLASH_MD5 in Secure Download Mode",
                         remedy: "nothing on the host can lift it: Secure Download Mode is an efuse setting")
    }
    try prepareFlashAccess(end: UInt64(offset) + UInt64(size))
    let expected = isStub ? 16 : 32
    let reply = try connection.command(.spiFlashMD5(offset: offset, size: UInt32(size)),
                                       timeout: Self.timeout(perMB: Self.md5SecondsPerMB, size: size),
                                       expectedDataLength: expected,
                                       context: "of \(hexAddress(size)) bytes at \(hexAddress(offset))")
    guard let payload = reply.payload(expectedDataLength: expected) else {
      throw .malformedReply(command: "SPI_FLASH_MD5", reason: "\(reply.data.count) bytes, expected \(expected) + status")
    }
    if isStub { return payload }
    guard let digest = Self.parseHex(payload) else {
      throw .malformedReply(command: "SPI_FLASH_MD5", reason: "the ROM's digest is not 32 hex characters")
    }
    return digest
  }

  static func parseHex(_ ascii: [UInt8]) -> [UInt8]? {
    guard ascii.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    var i = 0
    while i < ascii.count {
      guard let hi = hexValue(ascii[i]), let lo = hexValue(ascii[i + 1]) else { return nil }
      out.append(hi << 4 | lo)
      i += 2
    }
    return out
  }

  private static func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: c - 0x30
    case 0x61...0x66: c - 0x61 + 10
    case 0x41...0x46: c - 0x41 + 10
    default: nil
    }
  }

  /// Lower-case hex MD5 of bytes, as the ROM prints it.
  public static func md5Hex(_ data: [UInt8]) -> String {
    MD5.hex(data)
  }
}
