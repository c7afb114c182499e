import ESPLoader

/// The ROM serial loader (`rom-protocol.md` §2, §5): ESP8266 answers only 0x02–0x0A, ESP32-family ROMs add
/// SPI set-up, compressed writes, MD5 in hex and READ_FLASH_SLOW. The ROM erases at BEGIN and checks each
/// written block by reading it back.
extension VirtualBoard {
  /// ROM SYNC replies carry non-zero junk in `value` (§3.3, §13 #10); a stub sends 0.
  static let romSyncValue: UInt32 = 0x5555_2007

  func romSupports(_ opcode: UInt8) -> Bool {
    if chip == .esp8266 { return (0x02...0x0A).contains(opcode) }
    if configuration.secureDownloadMode {
      // Secure Download Mode: flash writes, SPI set-up, baud and security info only; no register access,
      // no RAM upload, no MD5, no reads.
      return [0x02, 0x03, 0x04, 0x08, 0x0B, 0x0D, 0x0F, 0x10, 0x11, 0x12, 0x14].contains(opcode)
    }
    switch opcode {
    case 0x02...0x0B, 0x0D...0x13: return true
    case 0x14: return facts.romHasSecurityInfo  // GET_SECURITY_INFO: S2 and later only
    default: return false
    }
  }

  func romCommand(_ opcode: UInt8, data: [UInt8], checksum: UInt32) throws(LoaderFailure) -> CommandOutcome {
    guard romSupports(opcode), let command = Opcode(rawValue: opcode) else { throw .unsupportedCommand }
    switch command {
    case .sync: return try sync(data, value: Self.romSyncValue)
    case .readReg: return try readRegister(data)
    case .writeReg: return try writeRegisters(data)
    case .memBegin: return try memBegin(data)
    case .memData: return try memData(data, checksum: checksum)
    case .memEnd: return try memEnd(data)
    case .flashBegin: return try romFlashBegin(data, encoding: .plain)
    case .flashDeflBegin: return try romFlashBegin(data, encoding: .deflate)
    case .flashData: return try romFlashData(data, checksum: checksum, encoding: .plain)
    case .flashDeflData: return try romFlashData(data, checksum: checksum, encoding: .deflate)
    case .flashEnd, .flashDeflEnd:
      // Either flag leaves the loader: 0 reboots, 1 runs the user code (§5.3 "No FLASH_END").
      guard data.count == 4, let flag = LE.u32(data, 0) else { throw .malformed }
      return .ok(then: .leaveLoader(reboot: flag == 0))
    case .spiSetParams: return try spiSetParams(data)
    case .spiAttach: return try spiAttach(data, allowedLengths: [8])
    case .changeBaudrate: return try changeBaud(data)
    case .spiFlashMD5:
      let digest = try md5Digest(data)
      return .ok(body: Array(digest.map { byte in
        let hex = String(byte, radix: 16)
        return hex.count == 1 ? "0" + hex : hex
      }.joined().utf8))
    case .readFlashSlow: return try readFlashSlow(data)
    case .getSecurityInfo: return securityInfo()
    default: throw .unsupportedCommand
    }
  }

  /// `07 07 12 20` + 32 × `55`; eight identical replies.
  func sync(_ data: [UInt8], value: UInt32) throws(LoaderFailure) -> CommandOutcome {
    guard data == [0x07, 0x07, 0x12, 0x20] + [UInt8](repeating: 0x55, count: 32) else { throw .malformed }
    return CommandOutcome(reply: .repeated(count: 8, value: value))
  }

  /// FLASH_BEGIN / FLASH_DEFL_BEGIN in ROM: 16 bytes on ESP8266/ESP32, 20 (with `encrypt`) on S2+. The erase
  /// happens here: the ESP8266 applies its SPIEraseArea bug, ESP32-family ROMs erase exactly the range.
  private func romFlashBegin(_ data: [UInt8], encoding: FlashWriteSession.Encoding)
    throws(LoaderFailure) -> CommandOutcome {
    guard data.count == facts.romFlashBeginBytes, let size = LE.u32(data, 0),
          let blocks = LE.u32(data, 4), let blockSize = LE.u32(data, 8), let offset = LE.u32(data, 12)
    else { throw .malformed }
    if chip == .esp8266 {
      // FLASH_BEGIN(0, 0) is how esptool attaches the flash on the ESP8266 ROM (§4.3).
      if size > 0 {
        // The entry check covers the requested range; the bug's extra sectors past the end of the geometry
        // are refused one by one by the sector erase, so they are clipped here (inferred).
        try checkFlashRange(offset, size)
        let erase = ESP8266EraseBug.erasedSectors(offset: offset, eraseSize: size)
        let lastSector = geometry / NORFlash.sectorSize
        flash.eraseSectors(from: erase.first, count: max(0, min(erase.count, lastSector - erase.first)))
      }
      flashAttached = true
    } else {
      try checkFlashRange(offset, size)
      let first = Int(offset) / NORFlash.sectorSize
      let end = (Int(offset) + Int(size) + NORFlash.sectorSize - 1) / NORFlash.sectorSize
      flash.eraseSectors(from: first, count: end - first)
    }
    let limit = encoding == .plain ? Int(blocks) * Int(blockSize) : Int(size)
    writeSession = FlashWriteSession(encoding: encoding, offset: Int(offset), numBlocks: Int(blocks),
                                     blockSize: Int(blockSize), limit: limit)
    return .ok
  }

  /// A ROM DATA block is written before the reply and read back: data that landed on unerased flash fails
  /// the ROM's check with 0x08 (§1.4, §5.3).
  private func romFlashData(_ data: [UInt8], checksum: UInt32, encoding: FlashWriteSession.Encoding)
    throws(LoaderFailure) -> CommandOutcome {
    guard var session = writeSession, session.encoding == encoding else { throw .notInFlashMode }
    let block = try parseDataBlock(data, checksum: checksum)
    guard block.seq == session.nextSeq else { throw .badSequence }
    guard block.seq < session.numBlocks else { throw .tooMuchData }
    guard block.payload.count <= session.blockSize else { throw .badBlockSize }
    var output = block.payload
    var address = session.offset + block.seq * session.blockSize
    if encoding == .deflate {
      do { output = try session.inflater?.inflate(block.payload) ?? [] } catch { throw .inflateError }
      address = session.offset + session.written
      guard session.written + output.count <= session.limit else { throw .tooMuchData }
    }
    try checkFlashRange(UInt32(address), UInt32(output.count))
    flash.program(at: address, output)
    // The ROM's readback compares an 8-bit CRC of the block, not every byte (§1.4 error 0x08); CRC-8
    // (polynomial 0x07) stands in for the ROM's, whose polynomial is not documented.
    guard crc8(flash.read(at: address, count: output.count)) == crc8(output) else {
      throw .flashWriteError
    }
    session.nextSeq += 1
    session.written += output.count
    writeSession = session
    return .ok
  }

  /// `offset, length` (esptool) or `offset, length, block_size, max_in_flight` (espflash): always 64 data
  /// bytes back, whatever the length (§7).
  private func readFlashSlow(_ data: [UInt8]) throws(LoaderFailure) -> CommandOutcome {
    guard data.count == 8 || data.count == 16, let offset = LE.u32(data, 0), let length = LE.u32(data, 4)
    else { throw .malformed }
    guard length <= 64 else { throw .readLengthError }
    try checkFlashRange(offset, length)
    return .ok(body: flash.read(at: Int(offset), count: 64))
  }

  /// S2+ ROMs: `flags, flash_crypt_cnt, 7 key purposes, chip_id, api_version` (the S2 stops before
  /// chip_id). Nothing secure is enabled on the virtual board.
  private func securityInfo() -> CommandOutcome {
    var flags: UInt32 = 0
    if configuration.secureBoot { flags |= 1 << 0 }  // SECURE_BOOT_EN
    if configuration.secureDownloadMode { flags |= 1 << 2 }  // SECURE_DOWNLOAD_ENABLE
    var body = LE.bytes(flags) + [UInt8](repeating: 0, count: 8)
    if let id = facts.securityChipID {
      body += LE.bytes(id) + LE.bytes(UInt32(0))
    }
    return .ok(body: body)
  }
}

/// CRC-8, polynomial x^8 + x^2 + x + 1, initial 0.
func crc8(_ bytes: [UInt8]) -> UInt8 {
  var crc: UInt8 = 0
  for byte in bytes {
    crc ^= byte
    for _ in 0..<8 { crc = crc & 0x80 != 0 ? (crc << 1) ^ 0x07 : crc << 1 }
  }
  return crc
}
