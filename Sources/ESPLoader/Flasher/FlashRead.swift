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
    if secureDownloadMode {
      throw .unsupported(operation: "reading flash", loader: loaderName,
                         reason: "the ROM refuses flash reads in Secure Download Mode",
                         remedy: "nothing on the host can lift it: Secure Download Mode is an efuse setting")
    }
    try prepareFlashAccess(end: UInt64(offset) + UInt64(size))
    var data: [UInt8] = []
    data.reserveCapacity(size)
    // 64 KiB per READ_FLASH (esptool's c08/c13 reads are one such piece): a stop request or a fault costs
    // at most one piece, and each piece carries its own MD5.
    while data.count < size {
      let at = offset + UInt32(data.count)
      try checkStop(.read, offset: offset, size: size, doneUpTo: at)
      let count = min(Self.readChunkSize, size - data.count)
      let done = data.count
      let chunkProgress: ProgressHandler = { got, _ in progress?(done + got, size) }
      do {
        data += try readChunkRecovering(offset: at, size: count, progress: chunkProgress)
      } catch {
        if case .interrupted = error { throw .interrupted(Interruption(kind: .read, offset: offset, size: size, doneUpTo: at)) }
        throw error
      }
    }
    return data
  }

  /// Bytes per READ_FLASH request (and per retry unit in ROM mode).
  public static let readChunkSize = 0x1_0000

  /// One piece, read again on a transient fault or a bad MD5; a vanished port (or a stub left mid-transfer,
  /// which no longer listens to commands) is reopened.
  func readChunkRecovering(offset: UInt32, size: Int, progress: ProgressHandler?) throws(LoaderError) -> [UInt8] {
    var attempt = 1
    var reconnects = 0
    while true {
      do {
        return isStub ? try readWithStub(offset: offset, size: size, progress: progress)
                      : try readWithROMPipelined(offset: offset, size: size, progress: progress)
      } catch {
        if case .interrupted = error { throw error }
        if shouldStop() { throw .interrupted(Interruption(kind: .read, offset: offset, size: size, doneUpTo: offset)) }
        var retry = error.isTransient
        if case .readChecksumMismatch = error { retry = true }
        let stuck = isStub && error.isTransient  // the stub may still be waiting for an ACK
        if (error.isDisconnect || stuck), reopen != nil, reconnects < recovery.reconnects {
          reconnects += 1
          note("reading \(hexAddress(size)) bytes at \(hexAddress(offset)) failed (\(error)); reopening \(transport.name)")
          try reconnect()
          try prepareFlashAccess(end: UInt64(offset) + UInt64(size))
          continue
        }
        guard retry, attempt < recovery.blockAttempts else { throw error }
        attempt += 1
        note("reading \(hexAddress(size)) bytes at \(hexAddress(offset)) failed (\(error)); reading it again")
        try? connection.discardInput()
      }
    }
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
                                status: DeviceStatus(first: status.first, second: status.second, fromStub: isStub))
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
      let reply = try commandRetrying(.readFlashSlow(offset: UInt32(at), length: UInt32(length)),
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
    // In 1 MiB pieces, so a stop request (Ctrl-C) waits for one piece at most; each piece is safe to repeat.
    var done = 0
    while done < size {
      let at = offset + UInt32(done)
      try checkStop(.erase, offset: offset, size: size, doneUpTo: at)
      let count = min(Self.eraseChunkSize, size - done)
      let timeout = Self.timeout(perMB: Self.eraseWriteSecondsPerMB, size: count)
      if isStub {
        try commandRetrying(.eraseRegion(offset: at, size: UInt32(count)), timeout: timeout,
                            context: "of \(hexAddress(count)) bytes at \(hexAddress(at))")
      } else {
        try commandRetrying(.flashBegin(eraseSize: UInt32(count), blocks: UInt32((count + 0x3FF) / 0x400),
                                        blockSize: 0x400, offset: at, encrypt: encryptWord),
                            timeout: timeout, context: "(erasing \(hexAddress(count)) bytes at \(hexAddress(at)))")
      }
      done += count
    }
  }

  /// Bytes per ERASE_REGION (or ROM FLASH_BEGIN) of `eraseRegion`.
  public static let eraseChunkSize = 0x10_0000

  // MARK: leaving (§3.2, §5.3)

  /// Runs `--after`. Returns a note for the user when the reset could not be done.
  @discardableResult
  public func finish(_ after: AfterReset, usbJTAGSerial: Bool = false) throws(LoaderError) -> String? {
    switch after {
    case .noResetStub:
      return nil
    case .noReset:
      // esptool `soft_reset(stay_in_bootloader: true)`: a stub is asked to reboot (FLASH_BEGIN(0,0) then
      // FLASH_END(0)); the chip comes back in its ROM loader at 115200 (autobaud), where the next
      // `--before no-reset` command finds it. A ROM is already where it should be.
      guard isStub else { return nil }
      try connection.command(.flashBegin(eraseSize: 0, blocks: 0, blockSize: UInt32(flashWriteBlockSize), offset: 0,
                                         encrypt: encryptWord))
      try connection.command(.flashEnd(runUserCode: false), context: "(back to the ROM loader)")
      isStub = false
      return "The flasher stub handed back to the ROM loader; the chip stays in download mode."
    case .hardReset:
      guard transport.supportsControlLines else {
        return "\(transport.name) has no reset line; the chip stays in the loader until it is reset."
      }
      do {
        let lines = ControlLines(transport: transport)
        lines.flowControlVariant = connectOptions.cp2102cReset
        try lines.hardReset(usb: usbJTAGSerial, sleep: sleep)
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
