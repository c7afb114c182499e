/// How to reach the bootloader (`--before`, `--chip`, `--connect-attempts`).
public struct ConnectOptions: Sendable {
  public var before: BeforeReset = .defaultReset
  /// nil = detect; otherwise the board must be this chip.
  public var chip: Chip?
  /// esptool's 7; 0 means keep trying (capped here at 1000 so nothing hangs forever).
  public var attempts: Int = 7
  /// The port is a chip's own USB-Serial/JTAG (303A:1001): use its reset sequence, disable the watchdogs.
  public var usbJTAGSerial = false
  /// The port is the ROM's USB-OTG CDC (303A:<chip id>): true; another known USB device: false; no USB ids
  /// (a socket, a pty, a bridge without descriptors): nil, which esptool treats as "may be USB-OTG".
  public var usbOTG: Bool?
  /// A CP2102C bridge (10C4:EA64), whose auto-reset wiring needs esp-pylib's flow-control variant: IO0 is
  /// not released at the end of the sequence, and the hard reset pulses differently (§3.2).
  public var cp2102cReset = false

  public init(before: BeforeReset = .defaultReset, chip: Chip? = nil, attempts: Int = 7, usbJTAGSerial: Bool = false) {
    self.before = before
    self.chip = chip
    self.attempts = attempts
    self.usbJTAGSerial = usbJTAGSerial
  }
}

extension Flasher {
  /// esptool's SYNC_TIMEOUT: the first SYNC reply must come within 0.1 s (§3.3).
  public static let syncTimeout = 0.1

  /// Resets the chip into its loader (unless told not to), syncs with esptool's retry loop, and identifies the
  /// chip. The transport stays at its current baud rate (115200 for a serial port).
  public static func connect(transport: any Transport, options: ConnectOptions = ConnectOptions(),
                             diagnostics: @escaping (String) -> Void = { _ in },
                             sleep: ((Double) -> Void)? = nil,
                             clock: any LoaderClock = SystemClock.shared) throws(LoaderError) -> Flasher {
    let connection = LoaderConnection(transport: transport, clock: clock)
    let sleep = sleep ?? { clock.sleep($0) }
    var stubRunning = false
    if options.before != .noResetNoSync {
      stubRunning = try syncLoop(connection: connection, options: options, diagnostics: diagnostics, sleep: sleep)
    }
    let identity = try detectChip(connection: connection, forced: options.chip, stub: stubRunning)
    let chip = identity.chip
    if stubRunning { diagnostics("A flasher stub is already running; not uploading it again.") }
    let flasher = Flasher(connection: connection, chip: chip, isStub: stubRunning, diagnostics: diagnostics, sleep: sleep)
    flasher.connectOptions = options
    flasher.securityFlags = identity.securityFlags
    if !stubRunning { try flasher.postConnect() }
    return flasher
  }

  /// The connect loop (§3.3): each attempt resets with the next strategy, then tries SYNC 5 times.
  /// Returns true when the replies say a stub is already running (SYNC value 0).
  static func syncLoop(connection: LoaderConnection, options: ConnectOptions,
                       diagnostics: (String) -> Void, sleep: (Double) -> Void) throws(LoaderError) -> Bool {
    let transport = connection.transport
    let resetting = options.before != .noReset && transport.supportsControlLines
    let strategies = ResetStrategy.cycle(for: options.before, usbJTAGSerial: options.usbJTAGSerial)
    let lines = ControlLines(transport: transport)
    lines.flowControlVariant = options.cp2102cReset
    var linesWork = resetting
    var tried: [String] = []
    let attempts = options.attempts <= 0 ? 1000 : options.attempts
    for attempt in 0..<attempts {
      var label = "no reset"
      if linesWork {
        let strategy = strategies[attempt % strategies.count]
        label = strategy.description
        try connection.discardInput()
        do {
          try strategy.run(lines, sleep: sleep)
        } catch {
          guard ControlLines.isHarmless(error) else { throw .transport(error, during: "reset (\(label))") }
          linesWork = false
          label = "no reset"
          diagnostics("Warning: \(transport.name) cannot set DTR/RTS (\(error)), so the chip is not reset "
                      + "automatically; hold BOOT (GPIO0) while resetting the board if the connection fails.")
        }
        connection.drain(for: 0.02)
      }
      var lastFailure = "no reply"
      for _ in 0..<5 {
        do {
          try connection.discardInput()
          return try sync(connection)
        } catch {
          lastFailure = Self.shortReason(error)
          sleep(0.05)
        }
      }
      tried.append("\(attempt + 1): \(label), 5 × SYNC: \(lastFailure)")
    }
    throw .connectFailed(port: transport.name, tried: tried, bootLog: connection.recentNoiseText)
  }

  /// One SYNC: the first reply within 0.1 s, then up to 7 more (the loaders send 8). Returns true when every
  /// reply's value is 0, i.e. a stub answers (§3.3).
  static func sync(_ connection: LoaderConnection) throws(LoaderError) -> Bool {
    let first = try connection.command(.sync, timeout: syncTimeout)
    var allZero = first.value == 0
    for _ in 0..<7 {
      guard let extra = try? connection.awaitReply(to: .sync, timeout: syncTimeout, context: nil) else { break }
      allZero = allZero && extra.value == 0
    }
    return allZero
  }

  static func shortReason(_ error: LoaderError) -> String {
    switch error {
    case .timeout: "no reply"
    case .transport(let t, _): t.description
    default: error.description
    }
  }


  /// What identification found: the chip and, where the ROM answers GET_SECURITY_INFO, its flags.
  struct Identification {
    var chip: Chip
    var securityFlags: UInt32?
  }

  /// GET_SECURITY_INFO's chip id first (ESP32-S3 and later), then the magic register (§4.1). The reply is
  /// 20 bytes, or 12 on the S2 (no chip id); a ROM without the command answers with an error. A magic read
  /// that is refused means an S2 in Secure Download Mode (esptool's rule).
  static func detectChip(connection: LoaderConnection, forced: Chip?, stub: Bool) throws(LoaderError) -> Identification {
    var detected: Chip?
    var chipID: UInt32?
    var flags: UInt32?
    try connection.send(.getSecurityInfo)
    if let reply = try? connection.awaitReply(to: .getSecurityInfo, timeout: 3, context: nil, checkStatus: false) {
      let d = reply.data
      let word = { (at: Int) in UInt32(d[at]) | UInt32(d[at + 1]) << 8 | UInt32(d[at + 2]) << 16 | UInt32(d[at + 3]) << 24 }
      if d.count >= 22, d[20] == 0 {
        flags = word(0)
        chipID = word(12)
        detected = Chip.detect(imageChipID: word(12))
      } else if d.count >= 14, d.count < 22, d[12] == 0 {
        flags = word(0)  // the S2's short form: no chip id
      }
    }
    var magic: UInt32?
    if detected == nil {
      do {
        let value = try connection.command(.readReg(address: Chip.detectMagicRegister),
                                           context: "of the chip magic register \(hexAddress(Chip.detectMagicRegister))").value
        magic = value
        detected = Chip.detect(magic: value)
      } catch {
        guard case .deviceRejected = error, flags != nil else { throw error }
        detected = .esp32s2  // only an S2 in Secure Download Mode refuses READ_REG but answers security info
        flags = (flags ?? 0) | Flasher.secureDownloadFlag
      }
    }
    guard let chip = detected else {
      if let forced { return Identification(chip: forced, securityFlags: flags) }
      throw .unknownChip(magic: magic, imageChipID: chipID)
    }
    if let forced, forced != chip { throw .chipMismatch(expected: forced, detected: chip) }
    return Identification(chip: chip, securityFlags: flags)
  }
}
