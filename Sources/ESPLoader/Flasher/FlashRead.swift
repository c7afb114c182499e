extension Flasher {
  /// READ_FLASH packet size and the in-flight limit esptool asks for (§7). Real stubs send one packet per ACK.
  public static let readPacketSize = 0x1000
  public static let readMaxUnacked: UInt32 = 64

  /// Reads `size` bytes at `offset`: the stub's READ_FLASH with ACKs and the trailing MD5 check, or the
  /// ESP32-family ROM's READ_FLASH_SLOW in 64-byte pieces. The ESP8266 ROM cannot read (§5.2).
  public func readFlash(offset: UInt32, size: Int, progress: ProgressHandler? = nil) throws(LoaderError) -> [UInt8] {
    guard size > 0 else { return [] }
    if isESP8266ROM {
      throw .unsupported(operation: "reading flash", loader: loaderName,
                         reason: "the ESP8266 ROM has no flash read command",
                         remedy: "use the flasher stub (--stub auto with esptool installed, or --stub PATH to a stub JSON)")
    }
    try prepareFlashAccess(end: UInt64(offset) + UInt64(size))
    return isStub ? try readWithStub(offset: offset, size: size, progress: progress)
                  : try readWithROMPipelined(offset: offset, size: size, progress: progress)
  }

  func readWithStub(offset: UInt32, size: Int, progress: ProgressHandler?) throws(LoaderError) -> [UInt8] {
    try connection.command(.readFlash(offset: offset, length: UInt32(size), packetSize: UInt32(Self.readPacketSize),
                                      maxUnacked: Self.readMaxUnacked),
                           context: "of \(hexAddress(size)) bytes at \(hexAddress(offset))")
    var data: [UInt8] = []
    data.reserveCapacity(size)
    while data.count < size {
      guard let frame = try connection.readFrame(timeout: 3, during: "READ_FLASH") else {
        throw .timeout(command: "READ_FLASH", context: "data at \(hexAddress(Int(offset) + data.count)) "
                       + "(\(data.count) of \(size) bytes received)", seconds: 3)
      }
      let expected = min(Self.readPacketSize, size - data.count)
      guard frame.count == expected else {
        if let reply = Response(frame: frame), reply.opcode == Opcode.readFlash.rawValue,
           let status = reply.status(expectedDataLength: 0), status.first != 0 {
          throw .deviceRejected(command: "READ_FLASH", context: "at \(hexAddress(Int(offset) + data.count))",
                                status: DeviceStatus(first: status.first, second: status.second))
        }
        throw .malformedReply(command: "READ_FLASH", reason: "a \(frame.count)-byte data packet at "
                              + "\(hexAddress(Int(offset) + data.count)), expected \(expected)")
      }
      data += frame
      try connection.writeFrame(Command.words([UInt32(data.count)]), during: "READ_FLASH acknowledgement")
      progress?(data.count, size)
    }
    guard let digest = try connection.readFrame(timeout: 3, during: "READ_FLASH") else {
      throw .timeout(command: "READ_FLASH", context: "the MD5 after \(size) bytes", seconds: 3)
    }
    let actual = MD5.digest(data)
    guard digest == actual else {
      let show = { (b: [UInt8]) in b.map { hex($0).lowercased() }.joined() }
      throw .readChecksumMismatch(offset: offset, size: UInt32(size), expected: show(digest), actual: show(actual))
    }
    return data
  }

  func readWithROM(offset: UInt32, size: Int, progress: ProgressHandler?) throws(LoaderError) -> [UInt8] {
    var data: [UInt8] = []
    data.reserveCapacity(size)
    while data.count < size {
      let at = Int(offset) + data.count
      let length = min(64, size - data.count)
      // The ROM always answers with 64 data bytes, whatever the length (§2).
      let reply = try connection.command(.readFlashSlow(offset: UInt32(at), length: UInt32(length)),
                                         expectedDataLength: 64, context: "at \(hexAddress(at))")
      guard let chunk = reply.payload(expectedDataLength: 64) else {
        throw .malformedReply(command: "READ_FLASH_SLOW", reason: "\(reply.data.count) bytes at \(hexAddress(at)), expected 64 + status")
      }
      data += chunk.prefix(length)
      progress?(data.count, size)
    }
    return data
  }

  // MARK: erasing (§8)

  /// esptool's CHIP_ERASE_TIMEOUT.
  public static let chipEraseTimeout = 120.0

  /// Erases the whole flash (stub only).
  public func eraseFlash() throws(LoaderError) {
    guard isStub else {
      throw .unsupported(operation: "erasing the whole flash", loader: loaderName,
                         reason: "only the flasher stub has ERASE_FLASH",
                         remedy: "use the flasher stub (--stub auto with esptool installed, or --stub PATH)")
    }
    try connection.command(.eraseFlash, timeout: Self.chipEraseTimeout)
  }

  /// Erases `[offset, offset+size)`, both 4 KiB-aligned: the stub's ERASE_REGION, or on an ESP32-family ROM
  /// SPI_SET_PARAMS + a FLASH_BEGIN with no data, as esptool does (c15). Not on the ESP8266 ROM.
  public func eraseRegion(offset: UInt32, size: Int) throws(LoaderError) {
    guard offset % 0x1000 == 0, size % 0x1000 == 0, size > 0 else {
      throw .invalidRequest("erase region \(hexAddress(offset)) + \(hexAddress(size)) must be a positive multiple of 4 KiB (0x1000) on a 4 KiB boundary")
    }
    if isESP8266ROM {
      throw .unsupported(operation: "erasing a region", loader: loaderName,
                         reason: "the ESP8266 ROM has no erase command, and its FLASH_BEGIN erase is off by up to one block",
                         remedy: "use the flasher stub (--stub auto with esptool installed, or --stub PATH)")
    }
    // The stub's ERASE_REGION needs no geometry (esptool sends none, c14); the ROM's FLASH_BEGIN does (c15).
    try prepareFlashAccess(end: UInt64(offset) + UInt64(size), setParameters: !isStub)
    let timeout = Self.timeout(perMB: Self.eraseWriteSecondsPerMB, size: size)
    if isStub {
      try connection.command(.eraseRegion(offset: offset, size: UInt32(size)), timeout: timeout,
                             context: "of \(hexAddress(size)) bytes at \(hexAddress(offset))")
    } else {
      try connection.command(.flashBegin(eraseSize: UInt32(size), blocks: UInt32((size + 0x3FF) / 0x400),
                                         blockSize: 0x400, offset: offset, encrypt: encryptWord),
                             timeout: timeout, context: "(erasing \(hexAddress(size)) bytes at \(hexAddress(offset)))")
    }
  }

  // MARK: leaving (§3.2, §5.3)

  /// Runs `--after`. Returns a note for the user when the reset could not be done.
  @discardableResult
  public func finish(_ after: AfterReset, usbJTAGSerial: Bool = false) throws(LoaderError) -> String? {
    switch after {
    case .noReset, .noResetStub:
      return nil
    case .hardReset:
      guard transport.supportsControlLines else {
        return "\(transport.name) has no reset line; the chip stays in the loader until it is reset."
      }
      do {
        try ControlLines(transport: transport).hardReset(usb: usbJTAGSerial, sleep: sleep)
      } catch {
        if ControlLines.isHarmless(error) {
          return "\(transport.name) cannot set RTS (\(error)); reset the board to run the new firmware."
        }
        throw .transport(error, during: "hard reset")
      }
      return nil
    case .softReset:
      if !isStub {
        // "Run user code" is as close to a soft reset as a ROM gets; it may not answer FLASH_END.
        try connection.command(.flashBegin(eraseSize: 0, blocks: 0, blockSize: UInt32(flashWriteBlockSize), offset: 0,
                                           encrypt: encryptWord))
        try connection.send(.flashEnd(runUserCode: true))
        _ = try? connection.awaitReply(to: .flashEnd, timeout: 0.2, context: nil)
      } else if chip == .esp8266 {
        try connection.send(.runUserCode)  // no reply: the stub returns into the ROM boot (§9.2)
      } else {
        throw .unsupported(operation: "a soft reset", loader: loaderName,
                           reason: "only the ESP8266 stub can return into the boot ROM",
                           remedy: "use --after hard-reset")
      }
      return nil
    }
  }
}
