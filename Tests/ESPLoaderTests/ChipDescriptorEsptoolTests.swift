import Foundation
import Testing
import TestSupport
import ESPLoader
@testable import DeviceSimulator

/// Reads esptool 5.6.0's own target classes (`esptool.targets.CHIP_DEFS`) through the interop Python and
/// compares every value of our `ChipDescriptor`s with them, chip by chip, so a wrong constant fails here
/// instead of on a board. The Python prints one JSON object per chip; nothing of esptool is copied.
enum EsptoolTargets {
  static let script = """
    import json
    from esptool.targets import CHIP_DEFS
    from esptool.loader import ESPLoader
    names = ["esp8266", "esp32", "esp32s2", "esp32s3", "esp32c2", "esp32c3", "esp32c6", "esp32h2"]
    attrs = ["CHIP_NAME", "IMAGE_CHIP_ID", "USES_MAGIC_VALUE", "MAGIC_VALUE", "SPI_REG_BASE", "SPI_USR_OFFS",
             "SPI_USR1_OFFS", "SPI_USR2_OFFS", "SPI_MOSI_DLEN_OFFS", "SPI_MISO_DLEN_OFFS", "SPI_W0_OFFS",
             "SPI_ADDR_REG_MSB", "UART_CLKDIV_REG", "XTAL_CLK_DIVIDER", "MAC_EFUSE_REG", "EFUSE_RD_REG_BASE",
             "ESP_OTP_MAC0", "ESP_OTP_MAC1", "ESP_OTP_MAC3", "EFUSE_BLK0_RDATA5_REG_OFFS",
             "EFUSE_BLK0_RDATA3_REG_OFFS", "EFUSE_SECURE_BOOT_EN_REG", "EFUSE_SECURE_BOOT_EN_MASK",
             "BOOTLOADER_FLASH_OFFSET", "FLASH_SIZES", "FLASH_FREQUENCY", "USB_OTG_SUPPORTED",
             "USB_SERIAL_JTAG_SUPPORTED", "ESP_RAM_BLOCK", "FLASH_WRITE_SIZE", "USB_OTG_BLOCK_SIZE",
             "RTC_CNTL_WDTWPROTECT_REG", "RTC_CNTL_WDTCONFIG0_REG", "RTC_CNTL_WDT_WKEY", "RTC_CNTL_SWD_CONF_REG",
             "RTC_CNTL_SWD_WPROTECT_REG", "RTC_CNTL_SWD_WKEY", "RTC_CNTL_SWD_AUTO_FEED_EN", "RTCCALICFG1",
             "CUSTOM_SPI_FLASH_PINS_SUPPORTED"]
    out = {}
    for name in names:
        cls = CHIP_DEFS[name]
        entry = {a: getattr(cls, a, None) for a in attrs}
        entry["STUB_FLASH_WRITE_SIZE"] = cls.STUB_CLASS.FLASH_WRITE_SIZE
        # The ROM FLASH_BEGIN takes the fifth (encrypt) word except on these two (ESPLoader.flash_begin).
        entry["ROM_FLASH_BEGIN_WORDS"] = 4 if cls.CHIP_NAME in ("ESP32", "ESP8266") else 5
        entry["USB_JTAG_SERIAL_PID"] = ESPLoader.USB_JTAG_SERIAL_PID
        entry["ESPRESSIF_VID"] = ESPLoader.ESPRESSIF_VID
        out[name] = entry
    print(json.dumps(out))
    """

  /// esptool's values per chip, or nil when the interop Python is missing.
  nonisolated(unsafe) static let values: [String: [String: Any]]? = {
    let python = InteropPython.path
    guard !python.isEmpty, FileManager.default.isExecutableFile(atPath: python) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: [String: Any]]
  }()
}

@Suite(.enabled(if: EsptoolTargets.values != nil,
                "needs esptool 5.6.0 in the interop Python (scripts/test installs it into .interop-venv)"))
struct ChipDescriptorEsptoolTests {
  /// esptool's value as an optional integer (None → nil, True/False → 1/0).
  static func int(_ entry: [String: Any], _ key: String) -> UInt64? {
    guard let value = entry[key], !(value is NSNull) else { return nil }
    return (value as? NSNumber)?.uint64Value
  }

  static func check(_ ours: UInt64?, _ entry: [String: Any], _ key: String, _ chip: Chip) {
    let theirs = int(entry, key)
    #expect(ours == theirs, "\(chip) \(key): ours \(ours.map { "0x" + String($0, radix: 16) } ?? "none"), esptool \(theirs.map { "0x" + String($0, radix: 16) } ?? "none")")
  }

  @Test(arguments: Chip.allCases)
  func everyValueMatchesEsptool(chip: Chip) throws {
    let entry = try #require(EsptoolTargets.values?[chip.rawValue], "esptool has no class for \(chip)")
    let d = chip.descriptor
    #expect(d.name == entry["CHIP_NAME"] as? String)
    #expect(chip.description == d.name)
    Self.check(d.imageChipID.map(UInt64.init), entry, "IMAGE_CHIP_ID", chip)
    Self.check(d.usesMagicValue ? 1 : 0, entry, "USES_MAGIC_VALUE", chip)
    if d.usesMagicValue {
      Self.check(d.magicValues.first.map(UInt64.init), entry, "MAGIC_VALUE", chip)
    }
    Self.check(UInt64(d.spi.base), entry, "SPI_REG_BASE", chip)
    Self.check(UInt64(d.spi.usrOffset), entry, "SPI_USR_OFFS", chip)
    Self.check(UInt64(d.spi.usr1Offset), entry, "SPI_USR1_OFFS", chip)
    Self.check(UInt64(d.spi.usr2Offset), entry, "SPI_USR2_OFFS", chip)
    Self.check(d.spi.mosiDataLengthOffset.map(UInt64.init), entry, "SPI_MOSI_DLEN_OFFS", chip)
    Self.check(d.spi.misoDataLengthOffset.map(UInt64.init), entry, "SPI_MISO_DLEN_OFFS", chip)
    Self.check(UInt64(d.spi.w0Offset), entry, "SPI_W0_OFFS", chip)
    Self.check(d.spiAddressMSBAligned ? 1 : 0, entry, "SPI_ADDR_REG_MSB", chip)
    Self.check(UInt64(d.uartClockDividerRegister), entry, "UART_CLKDIV_REG", chip)
    Self.check(UInt64(d.xtalClockDivider), entry, "XTAL_CLK_DIVIDER", chip)
    switch d.mac {
    case .esp8266OTP(let mac0, let mac1, let mac3):
      Self.check(UInt64(mac0), entry, "ESP_OTP_MAC0", chip)
      Self.check(UInt64(mac1), entry, "ESP_OTP_MAC1", chip)
      Self.check(UInt64(mac3), entry, "ESP_OTP_MAC3", chip)
    case .esp32Efuse(let base):
      Self.check(UInt64(base), entry, "EFUSE_RD_REG_BASE", chip)
      Self.check(nil, entry, "MAC_EFUSE_REG", chip)
    case .macEfuse(let register):
      Self.check(UInt64(register), entry, "MAC_EFUSE_REG", chip)
    }
    if let pads = d.spiPadEfuses {
      Self.check(UInt64(pads.rdata5), entry, "EFUSE_BLK0_RDATA5_REG_OFFS", chip)
      Self.check(UInt64(pads.rdata3), entry, "EFUSE_BLK0_RDATA3_REG_OFFS", chip)
    }
    // esptool reads the pad efuses only on the plain ESP32 (cmds.attach_flash); later chips inherit the
    // attribute but never use it.
    #expect((d.spiPadEfuses != nil) == (chip == .esp32))
    Self.check(d.secureBootEfuse.map { UInt64($0.register) }, entry, "EFUSE_SECURE_BOOT_EN_REG", chip)
    Self.check(d.secureBootEfuse.map { UInt64($0.mask) }, entry, "EFUSE_SECURE_BOOT_EN_MASK", chip)
    Self.check(UInt64(d.bootloaderOffset), entry, "BOOTLOADER_FLASH_OFFSET", chip)
    let sizes = try #require(entry["FLASH_SIZES"] as? [String: NSNumber])
    #expect(Dictionary(uniqueKeysWithValues: d.flashSizeCodes.map { ($0.name, UInt64($0.code)) })
            == sizes.mapValues(\.uint64Value), "\(chip) FLASH_SIZES")
    let frequencies = try #require(entry["FLASH_FREQUENCY"] as? [String: NSNumber])
    #expect(Dictionary(uniqueKeysWithValues: d.flashFrequencyCodes.map { ($0.name, UInt64($0.code)) })
            == frequencies.mapValues(\.uint64Value), "\(chip) FLASH_FREQUENCY")
    Self.check(UInt64(d.romFlashBeginWords), entry, "ROM_FLASH_BEGIN_WORDS", chip)
    Self.check(d.usbOTG ? 1 : 0, entry, "USB_OTG_SUPPORTED", chip)
    Self.check(d.usbSerialJTAG ? 1 : 0, entry, "USB_SERIAL_JTAG_SUPPORTED", chip)
    Self.check(UInt64(d.ramBlockSize), entry, "ESP_RAM_BLOCK", chip)
    Self.check(UInt64(d.romWriteBlockSize), entry, "FLASH_WRITE_SIZE", chip)
    Self.check(UInt64(d.stubWriteBlockSize), entry, "STUB_FLASH_WRITE_SIZE", chip)
    Self.check(UInt64(d.usbOTGRAMBlockSize), entry, "USB_OTG_BLOCK_SIZE", chip)
    Self.check(UInt64(EspressifUSB.usbSerialJTAGProductID), entry, "USB_JTAG_SERIAL_PID", chip)
    Self.check(UInt64(EspressifUSB.vendorID), entry, "ESPRESSIF_VID", chip)
    let w = d.watchdog
    Self.check(w.map { UInt64($0.wdtWriteProtect) }, entry, "RTC_CNTL_WDTWPROTECT_REG", chip)
    Self.check(w.map { UInt64($0.wdtConfig0) }, entry, "RTC_CNTL_WDTCONFIG0_REG", chip)
    Self.check(w.map { UInt64($0.wdtKey) }, entry, "RTC_CNTL_WDT_WKEY", chip)
    Self.check(w?.swdConfig.map(UInt64.init), entry, "RTC_CNTL_SWD_CONF_REG", chip)
    Self.check(w?.swdWriteProtect.map(UInt64.init), entry, "RTC_CNTL_SWD_WPROTECT_REG", chip)
    Self.check(w?.swdKey.map(UInt64.init), entry, "RTC_CNTL_SWD_WKEY", chip)
    Self.check(w?.swdAutoFeed.map(UInt64.init), entry, "RTC_CNTL_SWD_AUTO_FEED_EN", chip)
    switch d.romBaudCorrection {
    case .esp32Calibration(let rtc, let efuse):
      Self.check(UInt64(rtc), entry, "RTCCALICFG1", chip)
      // `read_efuse(4)`: word 4 of the efuse read block.
      Self.check(UInt64(efuse - 0x10), entry, "EFUSE_RD_REG_BASE", chip)
    case .scaleFor26MHzCrystal:
      #expect(chip == .esp32c2, "only the C2's ROM needs the ×40/26 baud trick (ESP32C2ROM.change_baud)")
    case .none:
      break
    }
  }
}

/// The virtual board's separately written silicon table, against the same esptool classes: the board and
/// the client must each be right on their own, not merely agree.
@Suite(.enabled(if: EsptoolTargets.values != nil,
                "needs esptool 5.6.0 in the interop Python (scripts/test installs it into .interop-venv)"))
struct SiliconFactsEsptoolTests {
  @Test(arguments: Chip.allCases)
  func boardRegistersMatchEsptool(chip: Chip) throws {
    let entry = try #require(EsptoolTargets.values?[chip.rawValue])
    let f = SiliconFacts.of(chip)
    let check = { (ours: UInt32?, key: String) in
      ChipDescriptorEsptoolTests.check(ours.map(UInt64.init), entry, key, chip)
    }
    let base = try #require(ChipDescriptorEsptoolTests.int(entry, "SPI_REG_BASE"))
    let offset = { (key: String) in ChipDescriptorEsptoolTests.int(entry, key).map { UInt32(base + $0) } }
    #expect(f.spiCMD == UInt32(base))
    #expect(f.spiADDR == UInt32(base + 4))
    #expect(f.spiUSR == offset("SPI_USR_OFFS") && f.spiUSR1 == offset("SPI_USR1_OFFS") && f.spiUSR2 == offset("SPI_USR2_OFFS"))
    #expect(f.spiW0 == offset("SPI_W0_OFFS"))
    #expect(f.spiMOSIDataLength == offset("SPI_MOSI_DLEN_OFFS") && f.spiMISODataLength == offset("SPI_MISO_DLEN_OFFS"))
    #expect(f.spiAddressInTopBits == (ChipDescriptorEsptoolTests.int(entry, "SPI_ADDR_REG_MSB") == 1))
    check(f.uartClockDivider, "UART_CLKDIV_REG")
    check(UInt32(f.uartClockPerCrystal), "XTAL_CLK_DIVIDER")
    if ChipDescriptorEsptoolTests.int(entry, "USES_MAGIC_VALUE") == 1 {
      check(f.magicWord, "MAGIC_VALUE")
      #expect(f.securityChipID == nil)
    } else {
      check(f.securityChipID, "IMAGE_CHIP_ID")
    }
    #expect(f.romFlashBeginBytes == 4 * Int(ChipDescriptorEsptoolTests.int(entry, "ROM_FLASH_BEGIN_WORDS") ?? 0))
    switch chip {
    case .esp8266:
      check(f.macWords[0], "ESP_OTP_MAC0")
      check(f.macWords[1], "ESP_OTP_MAC1")
      check(f.macWords[3], "ESP_OTP_MAC3")
    case .esp32:
      check(f.macWords[0] - 4, "EFUSE_RD_REG_BASE")
    default:
      check(f.macWords[0], "MAC_EFUSE_REG")
    }
    check(f.rtcWatchdogConfig, "RTC_CNTL_WDTCONFIG0_REG")
    check(f.rtcWatchdogProtect, "RTC_CNTL_WDTWPROTECT_REG")
    check(f.superWatchdogConfig, "RTC_CNTL_SWD_CONF_REG")
    if f.superWatchdogConfig != nil { check(f.superWatchdogFeedBit, "RTC_CNTL_SWD_AUTO_FEED_EN") }
    let otg = ChipDescriptorEsptoolTests.int(entry, "USB_OTG_SUPPORTED") == 1
    #expect((f.usbOTGMaxRAMBlock != nil) == otg)
    if otg { check(f.usbOTGMaxRAMBlock.map(UInt32.init), "USB_OTG_BLOCK_SIZE") }
  }
}
