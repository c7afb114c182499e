/// A connected bootloader: the chip behind it, whether the ROM or a stub answers, and every operation a
/// user runs (write, read, verify, erase, reset). Built by `Flasher.connect`.
public final class Flasher {
  /// Replaced when a vanished port is reopened (`reconnect`).
  public internal(set) var connection: LoaderConnection
  public internal(set) var chip: Chip
  /// True once a flasher stub answers instead of the ROM (uploaded, or found running at sync).
  public internal(set) var isStub: Bool { didSet { connection.repliesFromStub = isStub } }
  /// Where warnings and notes go (the CLI prints them on stderr).
  public var diagnostics: (String) -> Void
  /// Sleeps; tests replace it to keep fake-device runs fast.
  public var sleep: (Double) -> Void
  /// The size the JEDEC id announced, once asked.
  public internal(set) var detectedFlashSize: Int?
  /// The flash size SPI_SET_PARAMS told the loader, once sent.
  var parametersSentFor: Int?
  var flashAttached = false
  /// `--flash-size SIZE`: what to tell the loader instead of the JEDEC-detected size.
  public var flashSizeOverride: Int?
  /// How hard a write tries before it gives up (`FlashRecovery.swift`).
  public var recovery = RecoveryPolicy()
  /// Opens the port again after it vanished (USB re-enumeration, a socket closed); nil = cannot.
  public var reopen: (() throws -> any Transport)?
  /// Polled at every block boundary; true stops the operation with `LoaderError.interrupted` (Ctrl-C).
  public var shouldStop: () -> Bool = { false }
  /// What was recovered from since the flasher was made, for the closing report.
  public internal(set) var recoveries: [String] = []
  /// How the flasher connected, the stub it runs and the baud it asked for: replayed by `reconnect`.
  var connectOptions = ConnectOptions()
  /// GET_SECURITY_INFO's flags word, where the ROM answered it (S2 and later).
  public internal(set) var securityFlags: UInt32?
  var loadedStub: StubImage?
  var requestedBaud: Int?

  public var transport: any Transport { connection.transport }

  init(connection: LoaderConnection, chip: Chip, isStub: Bool, diagnostics: @escaping (String) -> Void,
       sleep: @escaping (Double) -> Void) {
    self.connection = connection
    self.chip = chip
    self.isStub = isStub
    connection.repliesFromStub = isStub
    self.diagnostics = diagnostics
    self.sleep = sleep
  }

  /// A name for messages: "ESP8266 ROM", "ESP32 stub".
  public var loaderName: String { "\(chip) \(isStub ? "flasher stub" : "ROM loader")" }

  /// Status bytes at the end of a reply from the current loader (§1.3).
  public var statusLength: Int { isStub ? 2 : chip.romStatusLength }

  /// The ESP8266 ROM: no MD5, no compression, no reads, no baud change (§5.1).
  public var isESP8266ROM: Bool { chip == .esp8266 && !isStub }

  /// FLASH_WRITE_SIZE: 0x400 in ROM, 0x4000 in a stub (§5.4).
  public var flashWriteBlockSize: Int { isStub ? chip.descriptor.stubWriteBlockSize : chip.descriptor.romWriteBlockSize }

  // MARK: registers

  public func readRegister(_ address: UInt32) throws(LoaderError) -> UInt32 {
    try connection.command(.readReg(address: address), context: "of \(hexAddress(address))").value
  }

  public func writeRegister(_ address: UInt32, _ value: UInt32, mask: UInt32 = 0xFFFF_FFFF,
                            delayMicroseconds: UInt32 = 0) throws(LoaderError) {
    try connection.command(.writeReg([.init(address: address, value: value, mask: mask,
                                            delayMicroseconds: delayMicroseconds)]),
                           context: "of \(hexAddress(address))")
  }

  // MARK: timeouts (esptool `timeout_per_mb`, §5.4)

  /// `max(3 s, seconds-per-MB × size)`, MB = 1e6 bytes as esptool counts.
  public static func timeout(perMB seconds: Double, size: Int) -> Double {
    max(3, seconds * Double(size) / 1e6)
  }
}
