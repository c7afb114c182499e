import ESPLoader

/// The few peripheral registers a flasher touches over READ_REG/WRITE_REG (`rom-protocol.md` §4): the chip
/// magic, the efuse words holding the MAC and revision, the UART clock divider (crystal detection), the
/// RTC calibration word (ESP32 baud workaround, §3.3), and the SPI flash controller's user-command block,
/// which runs RDID, RDSR, SFDP and READ against the simulated flash.
///
/// Any other address reads as the last value written, 0 if never written; real hardware has thousands of
/// registers, esptool only reads the ones below at connect (captures c01, c02, c05, c16).
struct RegisterFile {
  private var values: [UInt32: UInt32] = [:]
  private let chip: Chip
  private let facts: SiliconFacts
  /// Status registers 1–3 of the flash part (RDSR 0x05 / 0x35 / 0x15); bit 1 of SR1 is WEL.
  private var flashStatus: [UInt8] = [0, 0, 0]
  private let usbSerialJTAG: Bool
  private let flashMissing: Bool
  private let xmcBootFailure: Bool
  /// An XMC part that failed to boot stays asleep (RDID all ones) until released with 0xAB.
  private var flashAwake: Bool
  /// Every SPI flash command run through the controller, in order (tests check esptool's attach steps).
  private(set) var spiCommands: [UInt8] = []

  init(configuration: BoardConfiguration) {
    chip = configuration.chip
    facts = SiliconFacts.of(configuration.chip)
    usbSerialJTAG = configuration.usbSerialJTAG
    flashMissing = configuration.flashMissing
    xmcBootFailure = configuration.xmcBootFailure
    flashAwake = !configuration.xmcBootFailure
    let mac = configuration.mac.count == 6 ? configuration.mac : [0, 0, 0, 0, 0, 0]
    func word(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> UInt32 {
      UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }
    switch chip {
    case .esp8266:
      // OTP MAC words (esptool `ESP8266ROM.read_mac`): mac3 holds the OUI, mac1 bytes 4–5, mac0 byte 6.
      values[0x3FF0_0050] = UInt32(mac[5]) << 24
      values[0x3FF0_0054] = word(0, 0, mac[3], mac[4])
      values[0x3FF0_0058] = 0
      values[0x3FF0_005C] = word(0, mac[0], mac[1], mac[2])
    case .esp32:
      // Efuse block 0 (esptool `ESP32ROM`): word 1/2 hold the MAC big-endian after a CRC byte pair;
      // word 3 bit 15 + word 5 bit 20 + APB_CTRL_DATE bit 31 = revision 3, word 3 bits 9–11 = package
      // D0WD; word 4 low byte = CK8M frequency used by the ROM's crystal calibration.
      values[0x3FF5_A004] = word(mac[2], mac[3], mac[4], mac[5])
      values[0x3FF5_A008] = word(0, 0, mac[0], mac[1])
      // The SPI pad efuses (BLK0 word 5: CLK, Q, D, CS in 5-bit fields; word 3 bits 4–8: HD) from the
      // packed configuration SPI_ATTACH must name.
      let pads = configuration.spiPadConfiguration
      let clk = pads & 0x3F, q = (pads >> 6) & 0x3F, d = (pads >> 12) & 0x3F, cs = (pads >> 18) & 0x3F
      let hd = (pads >> 24) & 0xFF
      values[0x3FF5_A00C] = 1 << 15 | 1 << 9 | (hd & 0x1F) << 4
      values[0x3FF5_A010] = RegisterFile.esp32CK8MCode
      values[0x3FF5_A014] = 1 << 20 | (clk & 0x1F) | (q & 0x1F) << 5 | (d & 0x1F) << 10 | (cs & 0x1F) << 15
      values[0x3FF6_607C] = 1 << 31
      // RTCCALICFG1 (0x3FF5F06C): cali_val << 7 with cali_val × 15625 × CK8M / 40 = crystal in Hz, so
      // esptool's false_rom_baud equals the requested baud.
      let cali = UInt32(configuration.crystalMHz) * 1_000_000 * 40 / (15625 * RegisterFile.esp32CK8MCode)
      values[0x3FF5_F06C] = cali << 7
    default:
      // MAC_EFUSE_REG: bytes 3–6 of the MAC in the low word (byte 6 lowest), bytes 1–2 in the next one.
      values[facts.macWords[0]] = word(mac[2], mac[3], mac[4], mac[5])
      values[facts.macWords[1]] = word(0, 0, mac[0], mac[1])
    }
    // Download mode over USB-Serial/JTAG leaves the RTC watchdog running (enable bit and a stage action).
    if configuration.usbSerialJTAG, let config = facts.rtcWatchdogConfig { values[config] = 1 << 31 | 3 << 28 }
  }

  /// Whether a watchdog will reset the chip: the RTC WDT still configured, or the super watchdog not set
  /// to feed itself (only on a USB-Serial/JTAG link, where nothing else feeds them).
  var watchdogArmed: Bool {
    guard usbSerialJTAG, let config = facts.rtcWatchdogConfig else { return false }
    if values[config] ?? 0 != 0 { return true }
    if let swd = facts.superWatchdogConfig, (values[swd] ?? 0) & facts.superWatchdogFeedBit == 0 { return true }
    return false
  }

  static let esp32CK8MCode: UInt32 = 0x80

  /// The value READ_REG returns. `uartDivisor` is computed by the board from its current baud.
  func read(_ address: UInt32, magic: UInt32, uartDivisor: UInt32) -> UInt32 {
    if address == 0x4000_1000 { return magic }
    if address == uartClockDividerAddress { return uartDivisor }
    return values[address] ?? 0
  }

  /// WRITE_REG with esptool's mask semantics; returns a flash command to run when the SPI CMD register's
  /// USR bit (1 << 18) was set.
  mutating func write(_ address: UInt32, value: UInt32, mask: UInt32) -> Bool {
    // Watchdog configuration is write-protected until the key is in the protect register.
    if address == facts.rtcWatchdogConfig, let protect = facts.rtcWatchdogProtect,
       values[protect] != SiliconFacts.rtcWatchdogKey { return false }
    if address == facts.superWatchdogConfig, let protect = facts.superWatchdogProtect,
       values[protect] != facts.superWatchdogKey { return false }
    let old = values[address] ?? 0
    values[address] = (old & ~mask) | (value & mask)
    return address == facts.spiCMD && (values[address] ?? 0) & (1 << 18) != 0
  }

  /// Address of UART0's CLKDIV register (§4.2), nil for chips this board does not model it on.
  var uartClockDividerAddress: UInt32? { facts.uartClockDivider }

  /// Whether the address register holds the address MSB-aligned (ESP8266/ESP32) or LSB-aligned (S2+).
  private var addressIsMSBAligned: Bool { facts.spiAddressInTopBits }

  /// Runs the user command programmed into the SPI controller (esptool `run_spiflash_command`, §4.3) and
  /// clears the USR bit, as the hardware does when the transaction completes.
  mutating func runSPICommand(flash: inout NORFlash, jedecID: UInt32) {
    let usr = values[facts.spiUSR] ?? 0
    let usr1 = values[facts.spiUSR1] ?? 0
    let usr2 = values[facts.spiUSR2] ?? 0
    let command = UInt8(usr2 & 0xFF)
    spiCommands.append(command)
    var address: Int = 0
    if usr & (1 << 30) != 0 {
      let bits = Int((usr1 >> 26) & 0x3F) + 1
      let raw = values[facts.spiADDR] ?? 0
      address = addressIsMSBAligned ? Int(raw >> UInt32(32 - min(bits, 32))) : Int(raw & UInt32((1 << UInt64(bits)) - 1))
    }
    var misoBits = 0
    if usr & (1 << 28) != 0 {
      if let dlen = facts.spiMISODataLength {
        misoBits = Int(values[dlen] ?? 0) + 1
      } else {
        misoBits = Int((usr1 >> 8) & 0x1FF) + 1
      }
    }
    let misoBytes = min((misoBits + 7) / 8, 64)
    var reply: [UInt8] = []
    switch command {
    case 0x9F:  // RDID: manufacturer, memory type, capacity; all ones when no flash answers
      reply = flashAwake && !flashMissing ? LE.bytes(jedecID) : [0xFF, 0xFF, 0xFF, 0xFF]
    case 0x05: reply = [flashStatus[0]]
    case 0x35: reply = [flashStatus[1]]
    case 0x15: reply = [flashStatus[2]]
    case 0x06: flashStatus[0] |= 0x02  // WREN
    case 0x04: flashStatus[0] &= ~0x02  // WRDI
    case 0x01:  // WRSR: one or two bytes from W0, only with WEL set
      if flashStatus[0] & 0x02 != 0 {
        let w0 = values[facts.spiW0] ?? 0
        flashStatus[0] = UInt8(w0 & 0xFC)
        if let dlen = facts.spiMOSIDataLength, (values[dlen] ?? 0) >= 15 { flashStatus[1] = UInt8(w0 >> 8 & 0xFF) }
      }
    case 0x5A:  // SFDP: the JEDEC signature "SFDP" at 0, 0xFF elsewhere in this minimal table
      var table: [UInt8] = [0x53, 0x46, 0x44, 0x50, 0x06, 0x01, 0x00, 0xFF]
      if xmcBootFailure {
        // The parameter header's manufacturer byte at 0x10 names XMC (0x20), even while RDID fails.
        table += [UInt8](repeating: 0xFF, count: 8) + [0x20]
      }
      reply = (0..<misoBytes).map { address + $0 < table.count ? table[address + $0] : 0xFF }
    case 0x03, 0x0B:  // READ / FAST_READ
      reply = flash.read(at: address, count: misoBytes)
    case 0xAB:  // release from deep power-down / device id
      flashAwake = true
      reply = [UInt8(jedecID >> 16 & 0xFF) &- 1]
    default:
      break  // 0x66/0x99 reset, 0xB9/0x79 power modes and others: accepted, no data
    }
    if misoBytes > 0 {
      var padded = Array(reply.prefix(misoBytes))
      while padded.count % 4 != 0 || padded.count < 4 { padded.append(0) }
      for (index, word) in LE.words(padded).enumerated() {
        values[facts.spiW0 + UInt32(index * 4)] = word
      }
      if misoBits < 32, let first = LE.u32(padded, 0) {
        values[facts.spiW0] = first & UInt32((UInt64(1) << UInt64(misoBits)) - 1)
      }
    }
    values[facts.spiCMD] = (values[facts.spiCMD] ?? 0) & ~(1 << 18)
  }
}
