import ESPLoader

/// What the virtual board's silicon looks like, written separately from the client's `ChipDescriptor`: the
/// board shares only the wire format (SLIP, opcode numbers) and the chip's *name* with the client, so a wrong
/// register address in one table is caught by a test against the other and against esptool
/// (`SiliconFactsEsptoolTests`). Addresses are absolute here, where the client keeps base + offset.
struct SiliconFacts: Sendable {
  /// What READ_REG 0x40001000 returns (the ROM's own constant at that address).
  var magicWord: UInt32
  /// GET_SECURITY_INFO's chip id; nil where the ROM does not answer that command with one.
  var securityChipID: UInt32?
  /// Whether the ROM implements GET_SECURITY_INFO at all (S2 and later).
  var romHasSecurityInfo: Bool
  /// ROM reply status bytes.
  var romStatusBytes: Int
  /// Bytes of the ROM's FLASH_BEGIN request (16, or 20 with the encrypt word).
  var romFlashBeginBytes: Int
  /// SPI user-command block, absolute addresses.
  var spiCMD: UInt32, spiADDR: UInt32, spiUSR: UInt32, spiUSR1: UInt32, spiUSR2: UInt32, spiW0: UInt32
  var spiMOSIDataLength: UInt32?
  var spiMISODataLength: UInt32?
  /// The address register holds the address in its top bits (ESP8266, ESP32).
  var spiAddressInTopBits: Bool
  /// UART0 CLKDIV and the clock it divides, in crystal periods (ESP8266: twice the crystal).
  var uartClockDivider: UInt32
  var uartClockPerCrystal: Int
  /// The efuse words holding the MAC (layout per chip in `RegisterFile`).
  var macWords: [UInt32]
  /// USB-Serial/JTAG watchdogs: the RTC WDT config word and its write protection, and the super watchdog
  /// config; a USB-JTAG board resets when these stay armed through a long write.
  var rtcWatchdogConfig: UInt32?
  var rtcWatchdogProtect: UInt32?
  var superWatchdogConfig: UInt32?
  var superWatchdogFeedBit: UInt32
  /// The super watchdog's write-protect register and key; the RTC watchdog key is the same on every chip.
  var superWatchdogProtect: UInt32?
  var superWatchdogKey: UInt32 = 0x8F1D_312A
  static let rtcWatchdogKey: UInt32 = 0x50D8_3AA1
  /// RAM a loader may load into; nil where not checked.
  var ram: [Range<UInt64>]?
  /// The ROM's largest MEM_DATA block over USB-OTG CDC (S2/S3), nil where the chip has no USB-OTG.
  var usbOTGMaxRAMBlock: Int?

  static func of(_ chip: Chip) -> SiliconFacts {
    switch chip {
    case .esp8266:
      SiliconFacts(magicWord: 0xFFF0_C101, securityChipID: nil, romHasSecurityInfo: false, romStatusBytes: 2,
                   romFlashBeginBytes: 16, spiCMD: 0x6000_0200, spiADDR: 0x6000_0204, spiUSR: 0x6000_021C,
                   spiUSR1: 0x6000_0220, spiUSR2: 0x6000_0224, spiW0: 0x6000_0240, spiMOSIDataLength: nil,
                   spiMISODataLength: nil, spiAddressInTopBits: true, uartClockDivider: 0x6000_0014,
                   uartClockPerCrystal: 2, macWords: [0x3FF0_0050, 0x3FF0_0054, 0x3FF0_0058, 0x3FF0_005C],
                   rtcWatchdogConfig: nil, rtcWatchdogProtect: nil, superWatchdogConfig: nil, superWatchdogFeedBit: 0,
                   superWatchdogProtect: nil,
                   ram: [0x3FFE_8000..<0x4000_0000, 0x4010_0000..<0x4011_0000], usbOTGMaxRAMBlock: nil)
    case .esp32:
      SiliconFacts(magicWord: 0x00F0_1D83, securityChipID: nil, romHasSecurityInfo: false, romStatusBytes: 4,
                   romFlashBeginBytes: 16, spiCMD: 0x3FF4_2000, spiADDR: 0x3FF4_2004, spiUSR: 0x3FF4_201C,
                   spiUSR1: 0x3FF4_2020, spiUSR2: 0x3FF4_2024, spiW0: 0x3FF4_2080, spiMOSIDataLength: 0x3FF4_2028,
                   spiMISODataLength: 0x3FF4_202C, spiAddressInTopBits: true, uartClockDivider: 0x3FF4_0014,
                   uartClockPerCrystal: 1, macWords: [0x3FF5_A004, 0x3FF5_A008],
                   rtcWatchdogConfig: nil, rtcWatchdogProtect: nil, superWatchdogConfig: nil, superWatchdogFeedBit: 0,
                   superWatchdogProtect: nil,
                   ram: [0x3FFA_E000..<0x4000_0000, 0x4007_0000..<0x400C_2000], usbOTGMaxRAMBlock: nil)
    case .esp32s2:
      later(magic: 0x0000_07C6, chipID: nil, spi: 0x3F40_2000, uart: 0x3F40_0014, mac: 0x3F41_A044,
            wdt: (0x3F40_8094, 0x3F40_80AC), swd: nil, feed: 0, otg: 0x800)
    case .esp32s3:
      later(magic: 0x0000_0009, chipID: 9, spi: 0x6000_2000, uart: 0x6000_0014, mac: 0x6000_7044,
            wdt: (0x6000_8098, 0x6000_80B0), swd: 0x6000_80B4, feed: 0x8000_0000, otg: 0x800)
    case .esp32c2:
      later(magic: 0x6F51_306F, chipID: 12, spi: 0x6000_2000, uart: 0x6000_0014, mac: 0x6000_8840,
            wdt: (0x6000_8084, 0x6000_809C), swd: 0x6000_80AC, feed: 0x8000_0000, otg: nil)
    case .esp32c3:
      later(magic: 0x1B31_506F, chipID: 5, spi: 0x6000_2000, uart: 0x6000_0014, mac: 0x6000_8844,
            wdt: (0x6000_8090, 0x6000_80A8), swd: 0x6000_80AC, feed: 0x8000_0000, otg: nil)
    case .esp32c6:
      later(magic: 0x2CE0_806F, chipID: 13, spi: 0x6000_3000, uart: 0x6000_0014, mac: 0x600B_0844,
            wdt: (0x600B_1C00, 0x600B_1C18), swd: 0x600B_1C1C, feed: 0x0004_0000, otg: nil)
    case .esp32h2:
      later(magic: 0xD7B7_3E80, chipID: 16, spi: 0x6000_3000, uart: 0x6000_0014, mac: 0x600B_0844,
            wdt: (0x600B_1C00, 0x600B_1C1C), swd: 0x600B_1C20, feed: 0x0004_0000, otg: nil)
    }
  }

  /// The S2-and-later register block: USR at +0x18 … W0 at +0x58, 4 status bytes, 20-byte FLASH_BEGIN.
  private static func later(magic: UInt32, chipID: UInt32?, spi: UInt32, uart: UInt32, mac: UInt32,
                            wdt: (config: UInt32, protect: UInt32), swd: UInt32?, feed: UInt32,
                            otg: Int?) -> SiliconFacts {
    SiliconFacts(magicWord: magic, securityChipID: chipID, romHasSecurityInfo: true, romStatusBytes: 4,
                 romFlashBeginBytes: 20, spiCMD: spi, spiADDR: spi + 0x04, spiUSR: spi + 0x18, spiUSR1: spi + 0x1C,
                 spiUSR2: spi + 0x20, spiW0: spi + 0x58, spiMOSIDataLength: spi + 0x24, spiMISODataLength: spi + 0x28,
                 spiAddressInTopBits: false, uartClockDivider: uart, uartClockPerCrystal: 1, macWords: [mac, mac + 4],
                 rtcWatchdogConfig: wdt.config, rtcWatchdogProtect: wdt.protect, superWatchdogConfig: swd,
                 superWatchdogFeedBit: feed, superWatchdogProtect: swd.map { $0 + 4 },
                 superWatchdogKey: feed == 0x0004_0000 ? rtcWatchdogKey : 0x8F1D_312A, ram: nil,
                 usbOTGMaxRAMBlock: otg)
  }
}
