/// How to reach the bootloader (`--before`, `--chip`, `--connect-attempts`).
public struct ConnectOptions: Sendable {
  public var before: BeforeReset = .defaultReset
  /// nil = detect; otherwise the board must be this chip.
  public var chip: Chip?
  /// esptool's 7; 0 means keep trying (capped here at 1000 so nothing hangs forever).
  public var attempts: Int = 7
  /// The port is a chip's own USB-Serial/JTAG (303A:1001): use its reset sequence.
  public var usbJTAGSerial = false

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
    let chip = try detectChip(connection: connection, forced: options.chip, stub: stubRunning)
    if stubRunning { diagnostics("A flasher stub is already running; not uploading it again.") }
    return Flasher(connection: connection, chip: chip, isStub: stubRunning, diagnostics: diagnostics, sleep: sleep)
  }

  /// The connect loop (§3.3): each attempt resets with the next strategy, then tries SYNC 5 times.
  /// Returns true when the replies say a stub is already running (SYNC value 0).
  static func syncLoop(connection: LoaderConnection, options: ConnectOptions,
                       diagnostics: (String) -> Void, sleep: (Double) -> Void) throws(LoaderError) -> Bool {
    let transport = connection.transport
    let resetting = options.before != .noReset && transport.supportsControlLines
    let strategies = ResetStrategy.cycle(for: options.before, usbJTAGSerial: options.usbJTAGSerial)
    let lines = ControlLines(transport: transport)
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
    throw .connectFailed(port: transport.name, tried: Self.summarize(tried), bootLog: connection.recentNoiseText)
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

  /// Collapses repeated identical attempts ("1-7: no reset, 5 × SYNC: no reply").
  static func summarize(_ tried: [String]) -> [String] {
    guard tried.count > 4 else { return tried }
    return Array(tried.prefix(4)) + ["… \(tried.count - 4) more like these"]
  }

  /// GET_SECURITY_INFO's chip id first (ESP32-S3 and later), then the magic register (§4.1).
  static func detectChip(connection: LoaderConnection, forced: Chip?, stub: Bool) throws(LoaderError) -> Chip {
    var detected: Chip?
    var chipID: UInt32?
    if let reply = try? connection.command(.getSecurityInfo, expectedDataLength: 20),
       let data = reply.payload(expectedDataLength: 20) {
      let id = UInt32(data[12]) | UInt32(data[13]) << 8 | UInt32(data[14]) << 16 | UInt32(data[15]) << 24
      chipID = id
      detected = Chip.detect(imageChipID: id)
    }
    var magic: UInt32?
    if detected == nil {
      let value = try connection.command(.readReg(address: Chip.detectMagicRegister),
                                         context: "of the chip magic register \(hexAddress(Chip.detectMagicRegister))").value
      magic = value
      detected = Chip.detect(magic: value)
    }
    guard let chip = detected else {
      if let forced { return forced }
      throw .unknownChip(magic: magic, imageChipID: chipID)
    }
    if let forced, forced != chip { throw .chipMismatch(expected: forced, detected: chip) }
    return chip
  }
}
