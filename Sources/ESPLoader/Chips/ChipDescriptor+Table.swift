/// The eight descriptors. Values are esptool 5.6.0's (`targets/esp8266.py`, `esp32.py`, `esp32s2.py`,
/// `esp32s3.py`, `esp32c2.py`, `esp32c3.py`, `esp32c6.py`, `esp32h2.py`, and `loader.py` for the block
/// sizes); `ChipDescriptorEsptoolTests` checks each against the installed esptool.
extension ChipDescriptor {
  /// Flash size nibbles of the ESP8266 image header (`ESP8266ROM.FLASH_SIZES`).
  static let esp8266Sizes: [(name: String, code: UInt8)] = [
    ("512KB", 0x00), ("256KB", 0x10), ("1MB", 0x20), ("2MB", 0x30), ("4MB", 0x40), ("2MB-c1", 0x50),
    ("4MB-c1", 0x60), ("8MB", 0x80), ("16MB", 0x90),
  ]
  /// Flash size nibbles of the ESP32-family image header (`ESP32ROM.FLASH_SIZES`, inherited by all later).
  static let esp32Sizes: [(name: String, code: UInt8)] = [
    ("1MB", 0x00), ("2MB", 0x10), ("4MB", 0x20), ("8MB", 0x30), ("16MB", 0x40), ("32MB", 0x50), ("64MB", 0x60),
    ("128MB", 0x70),
  ]
  /// `ESP32ROM.FLASH_FREQUENCY`, also used by the ESP8266, S2, S3 and C3.
  static let classicFrequencies: [(name: String, code: UInt8)] = [("80m", 0xF), ("40m", 0x0), ("26m", 0x1), ("20m", 0x2)]

  /// The S2-and-later SPI block: USR at +0x18, data lengths at +0x24/+0x28, W0 at +0x58.
  static func laterSPI(base: UInt32) -> SPIRegisters {
    SPIRegisters(base: base, usrOffset: 0x18, usr1Offset: 0x1C, usr2Offset: 0x20, mosiDataLengthOffset: 0x24,
                 misoDataLengthOffset: 0x28, w0Offset: 0x58)
  }

  static let esp8266 = ChipDescriptor(
    name: "ESP8266", imageChipID: nil, usesMagicValue: true, magicValues: [0xFFF0_C101],
    spi: SPIRegisters(base: 0x6000_0200, usrOffset: 0x1C, usr1Offset: 0x20, usr2Offset: 0x24,
                      mosiDataLengthOffset: nil, misoDataLengthOffset: nil, w0Offset: 0x40),
    spiAddressMSBAligned: true, uartClockDividerRegister: 0x6000_0014, xtalClockDivider: 2,
    mac: .esp8266OTP(mac0: 0x3FF0_0050, mac1: 0x3FF0_0054, mac3: 0x3FF0_005C), spiPadEfuses: nil,
    secureBootEfuse: nil, bootloaderOffset: 0x0, flashSizeCodes: esp8266Sizes,
    flashFrequencyCodes: classicFrequencies, romFlashBeginWords: 4, romStatusLength: 2, usbOTG: false,
    usbSerialJTAG: false, watchdog: nil, romBaudCorrection: .none)

  static let esp32 = ChipDescriptor(
    name: "ESP32", imageChipID: 0, usesMagicValue: true, magicValues: [0x00F0_1D83],
    spi: SPIRegisters(base: 0x3FF4_2000, usrOffset: 0x1C, usr1Offset: 0x20, usr2Offset: 0x24,
                      mosiDataLengthOffset: 0x28, misoDataLengthOffset: 0x2C, w0Offset: 0x80),
    spiAddressMSBAligned: true, uartClockDividerRegister: 0x3FF4_0014, xtalClockDivider: 1,
    mac: .esp32Efuse(readBase: 0x3FF5_A000), spiPadEfuses: (rdata5: 0x3FF5_A014, rdata3: 0x3FF5_A00C),
    secureBootEfuse: nil, bootloaderOffset: 0x1000, flashSizeCodes: esp32Sizes,
    flashFrequencyCodes: classicFrequencies, romFlashBeginWords: 4, romStatusLength: 4, usbOTG: false,
    usbSerialJTAG: false, watchdog: nil,
    romBaudCorrection: .esp32Calibration(rtcCalibrationRegister: 0x3FF5_F06C, ck8mEfuse: 0x3FF5_A010))

  static let esp32s2 = ChipDescriptor(
    name: "ESP32-S2", imageChipID: 2, usesMagicValue: true, magicValues: [0x0000_07C6],
    spi: laterSPI(base: 0x3F40_2000), spiAddressMSBAligned: false, uartClockDividerRegister: 0x3F40_0014,
    xtalClockDivider: 1, mac: .macEfuse(register: 0x3F41_A044), spiPadEfuses: nil,
    secureBootEfuse: (0x3F41_A038, 1 << 20), bootloaderOffset: 0x1000, flashSizeCodes: esp32Sizes,
    flashFrequencyCodes: classicFrequencies, romFlashBeginWords: 5, romStatusLength: 4, usbOTG: true,
    usbSerialJTAG: false,
    watchdog: WatchdogRegisters(wdtWriteProtect: 0x3F40_80AC, wdtConfig0: 0x3F40_8094, wdtKey: 0x50D8_3AA1,
                                swdConfig: nil, swdWriteProtect: nil, swdKey: nil, swdAutoFeed: nil),
    romBaudCorrection: .none)

  static let esp32s3 = ChipDescriptor(
    name: "ESP32-S3", imageChipID: 9, usesMagicValue: false, magicValues: [0x9],
    spi: laterSPI(base: 0x6000_2000), spiAddressMSBAligned: false, uartClockDividerRegister: 0x6000_0014,
    xtalClockDivider: 1, mac: .macEfuse(register: 0x6000_7044), spiPadEfuses: nil,
    secureBootEfuse: (0x6000_7038, 1 << 20), bootloaderOffset: 0x0, flashSizeCodes: esp32Sizes,
    flashFrequencyCodes: classicFrequencies, romFlashBeginWords: 5, romStatusLength: 4, usbOTG: true,
    usbSerialJTAG: true,
    watchdog: WatchdogRegisters(wdtWriteProtect: 0x6000_80B0, wdtConfig0: 0x6000_8098, wdtKey: 0x50D8_3AA1,
                                swdConfig: 0x6000_80B4, swdWriteProtect: 0x6000_80B8, swdKey: 0x8F1D_312A,
                                swdAutoFeed: 1 << 31),
    romBaudCorrection: .none)

  static let esp32c2 = ChipDescriptor(
    name: "ESP32-C2", imageChipID: 12, usesMagicValue: false, magicValues: [0x6F51_306F, 0x7C41_A06F, 0x0C21_E06F],
    spi: laterSPI(base: 0x6000_2000), spiAddressMSBAligned: false, uartClockDividerRegister: 0x6000_0014,
    xtalClockDivider: 1, mac: .macEfuse(register: 0x6000_8840), spiPadEfuses: nil,
    secureBootEfuse: (0x6000_8830, 1 << 21), bootloaderOffset: 0x0, flashSizeCodes: esp32Sizes,
    flashFrequencyCodes: [("60m", 0xF), ("30m", 0x0), ("20m", 0x1), ("15m", 0x2)], romFlashBeginWords: 5,
    romStatusLength: 4, usbOTG: false, usbSerialJTAG: false,
    watchdog: WatchdogRegisters(wdtWriteProtect: 0x6000_809C, wdtConfig0: 0x6000_8084, wdtKey: 0x50D8_3AA1,
                                swdConfig: 0x6000_80AC, swdWriteProtect: 0x6000_80B0, swdKey: 0x8F1D_312A,
                                swdAutoFeed: 1 << 31),
    romBaudCorrection: .scaleFor26MHzCrystal)

  static let esp32c3 = ChipDescriptor(
    name: "ESP32-C3", imageChipID: 5, usesMagicValue: false,
    magicValues: [0x6921_506F, 0x1B31_506F, 0x4881_606F, 0x4361_606F],
    spi: laterSPI(base: 0x6000_2000), spiAddressMSBAligned: false, uartClockDividerRegister: 0x6000_0014,
    xtalClockDivider: 1, mac: .macEfuse(register: 0x6000_8844), spiPadEfuses: nil,
    secureBootEfuse: (0x6000_8838, 1 << 20), bootloaderOffset: 0x0, flashSizeCodes: esp32Sizes,
    flashFrequencyCodes: classicFrequencies, romFlashBeginWords: 5, romStatusLength: 4, usbOTG: false,
    usbSerialJTAG: true,
    watchdog: WatchdogRegisters(wdtWriteProtect: 0x6000_80A8, wdtConfig0: 0x6000_8090, wdtKey: 0x50D8_3AA1,
                                swdConfig: 0x6000_80AC, swdWriteProtect: 0x6000_80B0, swdKey: 0x8F1D_312A,
                                swdAutoFeed: 1 << 31),
    romBaudCorrection: .none)

  static let esp32c6 = ChipDescriptor(
    name: "ESP32-C6", imageChipID: 13, usesMagicValue: false, magicValues: [0x2CE0_806F],
    spi: laterSPI(base: 0x6000_3000), spiAddressMSBAligned: false, uartClockDividerRegister: 0x6000_0014,
    xtalClockDivider: 1, mac: .macEfuse(register: 0x600B_0844), spiPadEfuses: nil,
    secureBootEfuse: (0x600B_0838, 1 << 20), bootloaderOffset: 0x0, flashSizeCodes: esp32Sizes,
    // 80m is written as 0: esptool's "workaround for wrong mspi HS div value in ROM".
    flashFrequencyCodes: [("80m", 0x0), ("40m", 0x0), ("20m", 0x2)], romFlashBeginWords: 5,
    romStatusLength: 4, usbOTG: false, usbSerialJTAG: true,
    watchdog: WatchdogRegisters(wdtWriteProtect: 0x600B_1C18, wdtConfig0: 0x600B_1C00, wdtKey: 0x50D8_3AA1,
                                swdConfig: 0x600B_1C1C, swdWriteProtect: 0x600B_1C20, swdKey: 0x50D8_3AA1,
                                swdAutoFeed: 1 << 18),
    romBaudCorrection: .none)

  static let esp32h2 = ChipDescriptor(
    name: "ESP32-H2", imageChipID: 16, usesMagicValue: false, magicValues: [0xD7B7_3E80],
    spi: laterSPI(base: 0x6000_3000), spiAddressMSBAligned: false, uartClockDividerRegister: 0x6000_0014,
    xtalClockDivider: 1, mac: .macEfuse(register: 0x600B_0844), spiPadEfuses: nil,
    secureBootEfuse: (0x600B_0838, 1 << 20), bootloaderOffset: 0x0, flashSizeCodes: esp32Sizes,
    flashFrequencyCodes: [("48m", 0xF), ("24m", 0x0), ("16m", 0x1), ("12m", 0x2)], romFlashBeginWords: 5,
    romStatusLength: 4, usbOTG: false, usbSerialJTAG: true,
    watchdog: WatchdogRegisters(wdtWriteProtect: 0x600B_1C1C, wdtConfig0: 0x600B_1C00, wdtKey: 0x50D8_3AA1,
                                swdConfig: 0x600B_1C20, swdWriteProtect: 0x600B_1C24, swdKey: 0x50D8_3AA1,
                                swdAutoFeed: 1 << 18),
    romBaudCorrection: .none)
}
