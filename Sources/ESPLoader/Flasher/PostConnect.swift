/// What esptool does right after identifying the chip, for what real boards need (`rom-protocol.md` §3.3,
/// esptool 5.6 `_post_connect`, `disable_watchdogs`, `use_usb_otg_block`, `run_stub`).
extension Flasher {
  /// SECURE_DOWNLOAD_ENABLE in GET_SECURITY_INFO's flags (esptool's flag map, bit 2).
  public static let secureDownloadFlag: UInt32 = 1 << 2
  /// SECURE_BOOT_EN (bit 0).
  public static let secureBootFlag: UInt32 = 1 << 0

  /// Secure Download Mode: the ROM refuses register reads, RAM uploads (no stub) and MD5.
  public var secureDownloadMode: Bool { (securityFlags ?? 0) & Self.secureDownloadFlag != 0 }

  /// Secure Boot, as GET_SECURITY_INFO reports it.
  public var secureBootEnabled: Bool { (securityFlags ?? 0) & Self.secureBootFlag != 0 }

  /// Why the stub must not be uploaded on this chip, or nil (esptool `run_stub`'s refusals).
  public var stubRefusal: String? {
    if secureDownloadMode {
      return "the chip is in Secure Download Mode, whose ROM accepts no uploaded code"
    }
    if chip == .esp32c3, secureBootEnabled {
      return "esptool does not run its stub on an ESP32-C3 with Secure Boot"
    }
    return nil
  }

  /// MEM_DATA block size: esptool's ESP_RAM_BLOCK, capped to USB_OTG_BLOCK_SIZE when the ROM may be talking
  /// over its USB-OTG CDC (S2, S3), which cannot take larger blocks; also when the port has no USB ids.
  public var ramBlockSize: Int {
    let facts = chip.descriptor
    if !isStub, facts.usbOTG, connectOptions.usbOTG != false { return facts.usbOTGRAMBlockSize }
    return facts.ramBlockSize
  }

  /// After connecting to a ROM: on a USB-Serial/JTAG port, disable the RTC watchdog and let the super
  /// watchdog feed itself, or the chip resets in the middle of a long write (esptool `disable_watchdogs`).
  /// Not in Secure Download Mode (no register access) and not when a stub was found running.
  func postConnect() throws(LoaderError) {
    guard connectOptions.usbJTAGSerial, chip.descriptor.usbSerialJTAG, !secureDownloadMode,
          let wdt = chip.descriptor.watchdog else { return }
    try writeRegister(wdt.wdtWriteProtect, wdt.wdtKey)
    try writeRegister(wdt.wdtConfig0, 0)
    try writeRegister(wdt.wdtWriteProtect, 0)
    if let conf = wdt.swdConfig, let protect = wdt.swdWriteProtect, let key = wdt.swdKey, let feed = wdt.swdAutoFeed {
      try writeRegister(protect, key)
      try writeRegister(conf, try readRegister(conf) | feed)
      try writeRegister(protect, 0)
    }
    diagnostics("Disabled the RTC watchdog and set the super watchdog to feed itself (USB-Serial/JTAG).")
  }
}
