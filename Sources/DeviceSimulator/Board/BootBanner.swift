import ESPLoader

/// What the ROMs print right after a reset, before the loader listens. The ESP8266 text is the familiar
/// "ets Jan  8 2013,rst cause:2, boot mode:(1,7)" (boot mode 1 = UART download, 3 = flash); the ESP32 text
/// is the banner esptool searches for ("boot:0x3 (DOWNLOAD_BOOT…)… waiting for download", §3.3).
enum BootBanner {
  /// Why the chip booted. ESP8266 "rst cause" numbers: 1 power-on, 2 external (EN) pin, 4 software/watchdog
  /// (the last one not verified on silicon). ESP32: the EN pin also reports POWERON_RESET.
  enum Cause {
    case powerOn, resetPin, software
    var esp8266Code: Int {
      switch self {
      case .powerOn: 1
      case .resetPin: 2
      case .software: 4
      }
    }
  }

  static func text(chip: Chip, downloadMode: Bool, cause: Cause, flashStartsWithImage: Bool) -> String {
    if chip == .esp8266 {
      var text = "\r\n ets Jan  8 2013,rst cause:\(cause.esp8266Code), boot mode:(\(downloadMode ? 1 : 3),7)\r\n\r\n"
      if !downloadMode && !flashStartsWithImage { text += "ets_main.c \r\n" }
      return text
    }
    let reset = cause == .software ? "0xc (SW_CPU_RESET)" : "0x1 (POWERON_RESET)"
    if downloadMode {
      return "ets Jun  8 2016 00:22:57\r\n\r\nrst:\(reset),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))"
        + "\r\nwaiting for download\r\n"
    }
    var text = "ets Jun  8 2016 00:22:57\r\n\r\nrst:\(reset),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n"
    if !flashStartsWithImage { text += "invalid header: 0xffffffff\r\n" }
    return text
  }
}

/// What a UART receives when the two ends disagree on the baud rate: roughly `rate ratio × count`
/// framing-error bytes of no use. The model is deterministic (seeded) and never produces `C0`, so garbage
/// cannot fake a SLIP frame boundary; a real line can, which is one more reason clients flush before SYNC.
enum BaudMismatch {
  static func garble(_ bytes: [UInt8], sentAt sender: Int, sampledAt receiver: Int,
                     rng: inout SplitMix64) -> [UInt8] {
    let count = Int((Double(bytes.count) * Double(receiver) / Double(max(sender, 1))).rounded())
    return (0..<count).map { _ in
      let byte = UInt8(truncatingIfNeeded: rng.next())
      return byte == 0xC0 ? 0xF0 : byte
    }
  }
}
