import Crypto
import ESPLoader

/// The flasher stub as esptool's stubs behave (`rom-protocol.md` §2, §6.1, §7, §8): 2 error-first status
/// bytes, 16 KiB blocks, erase just in time, DATA acknowledged before it is written, binary MD5, erase
/// commands and READ_FLASH with one packet in flight.
extension VirtualBoard {
  static let stubMaxBlockSize = 0x4000

  func stubCommand(_ opcode: UInt8, data: [UInt8], checksum: UInt32) throws(LoaderFailure) -> CommandOutcome {
    guard let command = Opcode(rawValue: opcode) else { throw .unsupportedCommand }
    switch command {
    case .sync: return try sync(data, value: 0)
    case .readReg: return try readRegister(data)
    case .writeReg: return try writeRegisters(data)
    case .memBegin: return try memBegin(data)
    case .memData: return try memData(data, checksum: checksum)
    case .memEnd: return try memEnd(data)
    case .flashBegin: return try stubFlashBegin(data, encoding: .plain)
    case .flashDeflBegin: return try stubFlashBegin(data, encoding: .deflate)
    case .flashData: return try stubFlashData(data, checksum: checksum, encoding: .plain)
    case .flashDeflData: return try stubFlashData(data, checksum: checksum, encoding: .deflate)
    case .flashEnd, .flashDeflEnd: return try stubFlashEnd(data)
    case .spiSetParams: return try spiSetParams(data)
    case .spiAttach: return try spiAttach(data, allowedLengths: [4, 8])
    case .changeBaudrate: return try changeBaud(data)
    case .spiFlashMD5: return .ok(body: try md5Digest(data))
    case .eraseFlash:
      guard data.isEmpty else { throw .malformed }
      flash.eraseChip()
      return .ok
    case .eraseRegion: return try eraseRegion(data)
    case .readFlash: return try startReadFlash(data)
    case .runUserCode:
      // No reply; on ESP8266 the stub returns into the ROM's boot, which runs the flash (§2).
      return CommandOutcome(reply: .none, after: .leaveLoader(reboot: false))
    case .readFlashSlow, .getSecurityInfo: throw .unsupportedCommand
    }
  }

  /// `erase_size (= bytes to write), num_blocks, block_size, offset` (+ `encrypt`): no erase yet.
  private func stubFlashBegin(_ data: [UInt8], encoding: FlashWriteSession.Encoding)
    throws(LoaderFailure) -> CommandOutcome {
    guard data.count == 16 || data.count == 20, let size = LE.u32(data, 0), let blocks = LE.u32(data, 4),
          let blockSize = LE.u32(data, 8), let offset = LE.u32(data, 12) else { throw .malformed }
    guard blockSize <= Self.stubMaxBlockSize, blockSize > 0 || blocks == 0 else { throw .badBlockSize }
    try checkFlashRange(offset, size)
    writeSession = FlashWriteSession(encoding: encoding, offset: Int(offset), numBlocks: Int(blocks),
                                     blockSize: Int(blockSize), limit: Int(size))
    return .ok
  }

  /// The block is checked and acknowledged, then erased-ahead and written; a problem found while writing
  /// is reported on the next DATA or END.
  private func stubFlashData(_ data: [UInt8], checksum: UInt32, encoding: FlashWriteSession.Encoding)
    throws(LoaderFailure) -> CommandOutcome {
    guard var session = writeSession, session.encoding == encoding else { throw .notInFlashMode }
    if let pending = session.pendingError { throw pending }
    let block = try parseDataBlock(data, checksum: checksum)
    guard block.seq == session.nextSeq else { throw .badSequence }
    guard block.payload.count <= session.blockSize else { throw .badBlockSize }
    session.nextSeq += 1
    var output = block.payload
    if encoding == .plain {
      // The last block arrives padded to the block size; the stub writes only what BEGIN announced.
      guard session.written < session.limit || output.isEmpty else { throw .tooMuchData }
    } else {
      do {
        output = try session.inflater?.inflate(block.payload) ?? []
      } catch {
        session.pendingError = .inflateError
        output = []
      }
      if session.written + output.count > session.limit { session.pendingError = .tooMuchData }
    }
    let count = min(output.count, session.limit - session.written)
    if count > 0 {
      let address = session.offset + session.written
      eraseAhead(&session, to: address + count)
      flash.program(at: address, Array(output[0..<count]))
      session.written += count
    }
    writeSession = session
    return .ok
  }

  /// Erases sectors up to `end`, with a 64 KiB block erase where the session covers a whole aligned block.
  private func eraseAhead(_ session: inout FlashWriteSession, to end: Int) {
    let sector = NORFlash.sectorSize
    let sessionEnd = session.offset + session.limit
    while session.erasedUpTo < end {
      let start = session.erasedUpTo
      if start % NORFlash.blockSize == 0, sessionEnd - start >= NORFlash.blockSize {
        flash.eraseSectors(from: start / sector, count: NORFlash.blockSize / sector)
        session.erasedUpTo += NORFlash.blockSize
      } else {
        flash.eraseSector(start / sector)
        session.erasedUpTo += sector
      }
    }
  }

  /// FLASH_END / FLASH_DEFL_END `flag`: 0 reboots after the reply, 1 stays in the stub (§13 #14). Either
  /// END accepts either session, as the stubs share one write state (c19 ends a FLASH_BEGIN(0,0) with
  /// FLASH_DEFL_END).
  private func stubFlashEnd(_ data: [UInt8]) throws(LoaderFailure) -> CommandOutcome {
    guard data.count == 4, let flag = LE.u32(data, 0) else { throw .malformed }
    guard let session = writeSession else { throw .notInFlashMode }
    writeSession = nil
    if let pending = session.pendingError { throw pending }
    guard session.written >= session.limit else { throw .notEnoughData }
    return flag == 0 ? .ok(then: .leaveLoader(reboot: true)) : .ok
  }

  /// `offset, size`, both 4 KiB-aligned.
  private func eraseRegion(_ data: [UInt8]) throws(LoaderFailure) -> CommandOutcome {
    guard data.count == 8, let offset = LE.u32(data, 0), let size = LE.u32(data, 4) else { throw .malformed }
    let sector = UInt32(NORFlash.sectorSize)
    guard offset % sector == 0, size % sector == 0 else { throw .eraseAlignment }
    try checkFlashRange(offset, size)
    flash.eraseSectors(from: Int(offset / sector), count: Int(size / sector))
    return .ok
  }

  /// `offset, length, packet_size, max_unacked`: a normal reply, then the data frames.
  private func startReadFlash(_ data: [UInt8]) throws(LoaderFailure) -> CommandOutcome {
    guard data.count == 16, let offset = LE.u32(data, 0), let length = LE.u32(data, 4),
          let packetSize = LE.u32(data, 8), packetSize > 0, packetSize <= 0x4000 else { throw .malformed }
    try checkFlashRange(offset, length)
    readTransfer = ReadTransfer(offset: Int(offset), length: Int(length), packetSize: Int(packetSize))
    return .ok(then: .startRead)
  }

  /// Sends the next packet, or the MD5 when everything was acknowledged.
  func continueRead() {
    guard var transfer = readTransfer else { return }
    if transfer.sent >= transfer.length {
      let all = flash.read(at: transfer.offset, count: transfer.length)
      readTransfer = nil
      sendFrame(Array(Insecure.MD5.hash(data: all)))
      return
    }
    let count = min(transfer.packetSize, transfer.length - transfer.sent)
    sendFrame(flash.read(at: transfer.offset + transfer.sent, count: count))
    transfer.sent += count
    readTransfer = transfer
  }

  /// The host's ACK: a raw 4-byte frame with the total received. Other frames are not ACKs and are
  /// ignored while the stub waits (it reads exactly 4-byte frames here).
  func handleReadAcknowledgement(_ frame: [UInt8]) {
    guard frame.count == 4, let acked = LE.u32(frame, 0), let transfer = readTransfer else { return }
    if Int(acked) >= transfer.sent { continueRead() }
  }
}
