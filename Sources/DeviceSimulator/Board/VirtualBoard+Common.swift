import Crypto
import ESPLoader

/// Commands whose behaviour is the same in the ROM and in the stub: registers, RAM upload, SPI set-up,
/// baud change and MD5.
extension VirtualBoard {
  /// A *_DATA block: 16-byte sub-header `size, seq, 0, 0`, then the payload, whose XOR checksum the header
  /// carries (§1.2).
  struct DataBlock {
    var seq: Int
    var payload: [UInt8]
  }

  func parseDataBlock(_ data: [UInt8], checksum: UInt32) throws(LoaderFailure) -> DataBlock {
    guard data.count >= 16, let length = LE.u32(data, 0), let seq = LE.u32(data, 4) else { throw .malformed }
    let payload = Array(data[16...])
    guard payload.count == Int(length) else { throw .malformed }
    guard loaderChecksum(payload) == UInt8(checksum & 0xFF) else { throw .badChecksum }
    return DataBlock(seq: Int(seq), payload: payload)
  }

  /// UART_CLKDIV as the ROM leaves it for the current baud: esptool multiplies it back into the crystal
  /// frequency (§4.2; ESP8266 counts at twice the crystal).
  var uartDivisor: UInt32 {
    let baud = uartBaud ?? 115_200
    let clock = configuration.crystalMHz * 1_000_000 * facts.uartClockPerCrystal
    return UInt32((clock + baud / 2) / baud)
  }

  func readRegister(_ data: [UInt8]) throws(LoaderFailure) -> CommandOutcome {
    guard data.count == 4, let address = LE.u32(data, 0) else { throw .malformed }
    return .ok(value: registers.read(address, magic: facts.magicWord, uartDivisor: uartDivisor))
  }

  /// One or more `addr, value, mask, delay_us` tuples (esptool appends a dummy write to make a delay).
  func writeRegisters(_ data: [UInt8]) throws(LoaderFailure) -> CommandOutcome {
    guard !data.isEmpty, data.count % 16 == 0 else { throw .malformed }
    for start in stride(from: 0, to: data.count, by: 16) {
      guard let address = LE.u32(data, start), let value = LE.u32(data, start + 4),
            let mask = LE.u32(data, start + 8), let delay = LE.u32(data, start + 12) else { throw .malformed }
      if address == 0x4000_1000 { continue }  // the magic word is in ROM: read-only
      if registers.write(address, value: value, mask: mask) {
        registers.runSPICommand(flash: &flash, jedecID: configuration.jedecID)
      }
      addRegisterDelay(microseconds: delay)
    }
    return .ok
  }

  /// RAM a loader may load code or data into (esptool `MEMORY_MAP`: DRAM and IRAM; the ESP8266 IRAM
  /// includes the 32 KiB the stubs use above 0x40108000). Other chips: not checked.
  /// RAM a loader may load code or data into (DRAM and IRAM; the ESP8266 IRAM includes the 32 KiB the
  /// stubs use above 0x40108000). Other chips: not checked.
  private var ramRegions: [Range<UInt64>]? { facts.ram }

  func memBegin(_ data: [UInt8]) throws(LoaderFailure) -> CommandOutcome {
    guard data.count == 16, let size = LE.u32(data, 0), let blocks = LE.u32(data, 4),
          let blockSize = LE.u32(data, 8), let address = LE.u32(data, 12) else { throw .malformed }
    let range = UInt64(address)..<(UInt64(address) + UInt64(size))
    if let regions = ramRegions {
      guard regions.contains(where: { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound })
      else { throw .ramAddress }
    }
    guard size <= 0x2_0000 else { throw .ramSize }
    // Over USB-OTG CDC the ROM's receive buffer holds 0x800-byte blocks (esptool USB_OTG_BLOCK_SIZE).
    if configuration.usbOTG, state == .romLoader, let most = facts.usbOTGMaxRAMBlock, Int(blockSize) > most {
      throw .badBlockSize
    }
    ramSession = RAMSession(start: address, size: Int(size), blocks: Int(blocks), blockSize: Int(blockSize))
    ramSegments.append((address, 0))
    return .ok
  }

  func memData(_ data: [UInt8], checksum: UInt32) throws(LoaderFailure) -> CommandOutcome {
    guard var session = ramSession else { throw .notInFlashMode }
    let block = try parseDataBlock(data, checksum: checksum)
    guard block.seq == session.nextSeq else { throw .badSequence }
    guard block.payload.count <= session.blockSize else { throw .badBlockSize }
    guard session.received + block.payload.count <= session.size else { throw .tooMuchData }
    session.received += block.payload.count
    session.nextSeq += 1
    ramSession = session
    if let last = ramSegments.indices.last { ramSegments[last].count = session.received }
    return .ok
  }

  /// `no_entry, entry`: with an entry point the loader replies, then jumps (§9.2).
  func memEnd(_ data: [UInt8]) throws(LoaderFailure) -> CommandOutcome {
    guard data.count == 8, let noEntry = LE.u32(data, 0), let entry = LE.u32(data, 4) else { throw .malformed }
    ramSession = nil
    return noEntry != 0 ? .ok : .ok(then: .jump(entry: entry))
  }

  /// `id, total_size, block, sector, page, status_mask`: sets the geometry that bounds flash operations.
  func spiSetParams(_ data: [UInt8]) throws(LoaderFailure) -> CommandOutcome {
    guard data.count == 24, let total = LE.u32(data, 4) else { throw .malformed }
    if total > 0 { geometry = Int(total) }
    return .ok
  }

  /// `config` (+ `is_legacy` in ROM).
  func spiAttach(_ data: [UInt8], allowedLengths: Set<Int>) throws(LoaderFailure) -> CommandOutcome {
    guard allowedLengths.contains(data.count), let config = LE.u32(data, 0) else { throw .malformed }
    // The ROM drives the pins it is told; in-package flash on other pins answers only to its own (a stub
    // reads the efuses itself).
    flashAttached = state == .stubLoader || config == configuration.spiPadConfiguration
    return .ok
  }

  /// `new_baud, old_baud`: the reply still goes out at the old rate, then the UART switches.
  func changeBaud(_ data: [UInt8]) throws(LoaderFailure) -> CommandOutcome {
    guard data.count == 8, let baud = LE.u32(data, 0), baud >= 300 else { throw .malformed }
    return .ok(then: .switchBaud(Int(baud)))
  }

  /// Checks `[address, address + count)` against the loader's geometry (and, in the ESP32-family ROM,
  /// that SPI_ATTACH happened).
  func checkFlashRange(_ address: UInt32, _ count: UInt32) throws(LoaderFailure) {
    guard flashAttached || chip == .esp8266 else { throw .flashReadError }
    guard UInt64(address) + UInt64(count) <= UInt64(geometry) else { throw .flashReadError }
  }

  /// `addr, size, 0, 0` → MD5 of that flash range.
  func md5Digest(_ data: [UInt8]) throws(LoaderFailure) -> [UInt8] {
    guard data.count == 16, let address = LE.u32(data, 0), let size = LE.u32(data, 4) else { throw .malformed }
    try checkFlashRange(address, size)
    return Array(Insecure.MD5.hash(data: flash.read(at: Int(address), count: Int(size))))
  }
}
