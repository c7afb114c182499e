extension Flasher {
  /// CHANGE_BAUDRATE then the host side (§3.3). Returns false, with the reason in `diagnostics`, where the
  /// loader cannot change speed (the ESP8266 ROM).
  @discardableResult
  public func changeBaudRate(_ baud: Int) throws(LoaderError) -> Bool {
    let current = transport.baudRate
    requestedBaud = baud
    guard baud != current else { return true }
    if isESP8266ROM {
      diagnostics("Note: the ESP8266 ROM loader cannot change its baud rate; staying at \(current) baud "
                  + "(the flasher stub can: use --stub auto with esptool installed).")
      return false
    }
    let announced = isStub ? baud : try esp32ROMBaudCorrection(baud)
    try connection.command(.changeBaudrate(new: UInt32(announced), old: isStub ? UInt32(current) : 0),
                           context: "to \(baud)")
    do { try transport.setBaudRate(baud) } catch { throw .transport(error, during: "changing to \(baud) baud") }
    sleep(0.05)
    try connection.discardInput()
    // One cheap command proves the new rate works, so an adapter that cannot keep up (CH340s above 460800,
    // users' pain point P9) is named here rather than as a timeout in the middle of a write.
    do {
      _ = try connection.command(.readReg(address: Chip.detectMagicRegister), timeout: 1)
    } catch {
      throw .linkFailedAfterBaudChange(baud: baud, previous: current, underlying: error.description)
    }
    return true
  }
}

extension Flasher {
  /// The ESP32 ROM computes the new divider from its CK_8M-derived crystal estimate, so esptool announces
  /// `baud × rom_calculated_xtal / valid_xtal` to land on the real rate (§3.3):
  /// `rom_xtal = ((RTCCALICFG1 >> 7) & 0x1FFFFFF) × 15625 × (efuse word 4 & 0xFF) / 40`.
  func esp32ROMBaudCorrection(_ baud: Int) throws(LoaderError) -> Int {
    guard !isStub else { return baud }
    switch chip.descriptor.romBaudCorrection {
    case .none:
      return baud
    case .scaleFor26MHzCrystal:
      // ESP32-C2 ROM: it assumes a 40 MHz crystal, so a 26 MHz board is told `baud × 40 / 26`.
      return try readCrystalMHz(atBaud: transport.baudRate) == 26 ? baud * 40 / 26 : baud
    case .esp32Calibration(let rtcRegister, let efuseRegister):
      return try esp32Calibrated(baud, rtcRegister: rtcRegister, efuseRegister: efuseRegister)
    }
  }

  private func esp32Calibrated(_ baud: Int, rtcRegister: UInt32, efuseRegister: UInt32) throws(LoaderError) -> Int {
    let calibration = try readRegister(rtcRegister)
    let efuse = try readRegister(efuseRegister)
    let romXtal = Double((calibration >> 7) & 0x1FF_FFFF) * 15625 * Double(efuse & 0xFF) / 40
    // Outside any plausible crystal the registers mean something else: announce the plain rate.
    guard romXtal > 10e6, romXtal < 60e6 else { return baud }
    let validXtal = romXtal > 33e6 ? 40e6 : 26e6
    return Int((Double(baud) * romXtal / validXtal).rounded(.down))
  }
}
