/// Everything the client knows about one chip, in one place (`rom-protocol.md` §4–§6; each value is the
/// one esptool 5.6.0's `targets/<chip>.py` class holds, and `ChipDescriptorEsptoolTests` reads those classes
/// and compares every field, chip by chip). The virtual board keeps its own, separately written table
/// (`DeviceSimulator/Board/SiliconFacts.swift`), so a wrong constant here cannot be hidden by the same
/// wrong constant on the simulated side.
public struct ChipDescriptor: Sendable {
  /// esptool's CHIP_NAME ("ESP32-S3").
  public var name: String
  /// IMAGE_CHIP_ID; nil for the ESP8266, which has none. Also the USB-OTG PID (303A:id).
  public var imageChipID: UInt32?
  /// USES_MAGIC_VALUE: identified by the magic register; otherwise by GET_SECURITY_INFO's chip id.
  public var usesMagicValue: Bool
  /// Magic-register values: esptool 5.x's MAGIC_VALUE for the magic-value chips; for the later chips the
  /// values esptool ≤ 4 listed, kept as a fallback when GET_SECURITY_INFO fails.
  public var magicValues: [UInt32]
  /// The SPI controller's user-command registers (§4.3).
  public var spi: SPIRegisters
  /// SPI_ADDR_REG_MSB: the address register holds the address MSB-aligned (ESP8266, ESP32).
  public var spiAddressMSBAligned: Bool
  /// UART_CLKDIV_REG and XTAL_CLK_DIVIDER, for the crystal estimate (§4.2).
  public var uartClockDividerRegister: UInt32
  public var xtalClockDivider: UInt32
  /// Where the factory MAC lives.
  public var mac: MACLocation
  /// ESP32 only: EFUSE_BLK0_RDATA5 / RDATA3, which hold the SPI pad configuration of in-package flash.
  public var spiPadEfuses: (rdata5: UInt32, rdata3: UInt32)?
  /// EFUSE_SECURE_BOOT_EN_REG and mask (S2 and later).
  public var secureBootEfuse: (register: UInt32, mask: UInt32)?
  /// BOOTLOADER_FLASH_OFFSET: where the image whose header esptool patches sits (§6.2).
  public var bootloaderOffset: UInt32
  /// FLASH_SIZES: header size nibble per size name ("4MB" → 0x20 on ESP32, 0x40 on ESP8266).
  public var flashSizeCodes: [(name: String, code: UInt8)]
  /// FLASH_FREQUENCY: header frequency nibble per `--flash-freq` name. They differ per chip: the C6 ROM
  /// wants 0 for 80m (a wrong divider in its ROM), the C2 and H2 count in their own clocks.
  public var flashFrequencyCodes: [(name: String, code: UInt8)]
  /// Words in the ROM's FLASH_BEGIN / FLASH_DEFL_BEGIN: 4 on ESP8266/ESP32, 5 (with `encrypt`) later.
  public var romFlashBeginWords: Int
  /// Status bytes at the end of a ROM reply: 2 on the ESP8266, 4 on ESP32-family ROMs (§1.3).
  public var romStatusLength: Int
  /// USB_OTG_SUPPORTED: the ROM can talk over its own USB-OTG CDC (S2, S3).
  public var usbOTG: Bool
  /// USB_SERIAL_JTAG_SUPPORTED: a USB-Serial/JTAG peripheral (C3, S3, C6, H2).
  public var usbSerialJTAG: Bool
  /// RTC and super watchdog registers, disabled after connecting over USB-Serial/JTAG (esptool
  /// `disable_watchdogs`), or used for a watchdog reset over USB-OTG.
  public var watchdog: WatchdogRegisters?
  /// How the ROM must be told a new baud rate (§3.3).
  public var romBaudCorrection: ROMBaudCorrection

  /// FLASH_WRITE_SIZE in ROM and in a stub; ESP_RAM_BLOCK; USB_OTG_BLOCK_SIZE (§5.4). The same for every
  /// chip in esptool 5.6, kept per descriptor so the constants test checks each class.
  public var romWriteBlockSize = 0x400
  public var stubWriteBlockSize = 0x4000
  public var ramBlockSize = 0x1800
  public var usbOTGRAMBlockSize = 0x800

  /// The MAC's efuse layout (esptool `read_mac`).
  public enum MACLocation: Sendable, Equatable {
    /// ESP8266 OTP words mac0, mac1, mac3 with the OUI rules of §4.2.
    case esp8266OTP(mac0: UInt32, mac1: UInt32, mac3: UInt32)
    /// ESP32: efuse words 1 and 2 of `readBase`, big-endian, after a 2-byte CRC.
    case esp32Efuse(readBase: UInt32)
    /// S2 and later: MAC_EFUSE_REG (low word) and the next word (top 16 bits of the MAC).
    case macEfuse(register: UInt32)
  }

  /// `false_rom_baud` rules (§3.3).
  public enum ROMBaudCorrection: Sendable, Equatable {
    case none
    /// ESP32: announce `baud × rom_xtal / valid_xtal` from RTCCALICFG1 and efuse word 4.
    case esp32Calibration(rtcCalibrationRegister: UInt32, ck8mEfuse: UInt32)
    /// ESP32-C2 with a 26 MHz crystal: the ROM assumes 40 MHz, so announce `baud × 40 / 26`.
    case scaleFor26MHzCrystal
  }

  /// The header nibble for a frequency name, nil when this chip's images cannot declare it.
  public func flashFrequencyCode(_ name: String) -> UInt8? {
    flashFrequencyCodes.first { $0.name == name }?.code
  }

  /// The header nibble for a size in bytes, nil when this chip's images cannot declare it.
  public func flashSizeCode(bytes: Int) -> UInt8? {
    flashSizeCodes.first { ChipDescriptor.bytes(ofSizeName: $0.name) == bytes }?.code
  }

  /// "512KB" → 524288, "4MB" → 4194304; the "-c1" ESP8266 variants are not plain sizes.
  public static func bytes(ofSizeName name: String) -> Int? {
    if name.hasSuffix("MB"), let n = Int(name.dropLast(2)) { return n << 20 }
    if name.hasSuffix("KB"), let n = Int(name.dropLast(2)) { return n << 10 }
    return nil
  }
}

/// The RTC watchdog (WDT) and super watchdog (SWD) registers of a chip (esptool `disable_watchdogs`).
public struct WatchdogRegisters: Sendable, Equatable {
  public var wdtWriteProtect: UInt32
  public var wdtConfig0: UInt32
  public var wdtKey: UInt32
  /// nil on the S2, which has no super watchdog.
  public var swdConfig: UInt32?
  public var swdWriteProtect: UInt32?
  public var swdKey: UInt32?
  public var swdAutoFeed: UInt32?
}

/// The USB ids esptool recognises a port by (esp-pylib `constants`).
public enum EspressifUSB {
  public static let vendorID: UInt16 = 0x303A
  /// USB_JTAG_SERIAL_PID.
  public static let usbSerialJTAGProductID: UInt16 = 0x1001
}
