#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to do before talking to the chip (`--before`, esptool's names; §3.2).
public enum BeforeReset: String, CaseIterable, Sendable {
  case defaultReset = "default-reset"
  case usbReset = "usb-reset"
  case noReset = "no-reset"
  case noResetNoSync = "no-reset-no-sync"
}

/// What to do after the operation (`--after`, esptool's names; §3.2).
public enum AfterReset: String, CaseIterable, Sendable {
  case hardReset = "hard-reset"
  case softReset = "soft-reset"
  case noReset = "no-reset"
  case noResetStub = "no-reset-stub"
}

/// The DTR/RTS sequences that put a chip into its serial bootloader (esp-pylib `serial_reset.py`, §3.2).
/// DTR drives GPIO0 and RTS drives EN on the usual two-transistor circuit; `true` means asserted (pin low).
public enum ResetStrategy: Sendable, Equatable, CustomStringConvertible {
  /// Sequential DTR/RTS writes; DTR is re-written after each RTS write for Windows usbser.sys.
  case classic(delay: Double)
  /// Atomic TIOCMSET pairs, so both lines change together (Unix only).
  case unixTight(delay: Double)
  /// For the chips' own USB-Serial/JTAG (303A:1001).
  case usbJTAGSerial

  /// esptool's DEFAULT_RESET_DELAY and its "extra" variant (0.05 s + 0.5 s).
  public static let defaultDelay = 0.05
  public static let extraDelay = 0.55

  /// The cycle of strategies the connect loop walks through (§3.3).
  public static func cycle(for before: BeforeReset, usbJTAGSerial: Bool) -> [ResetStrategy] {
    if before == .usbReset || usbJTAGSerial { return [.usbJTAGSerial] }
    return [.unixTight(delay: defaultDelay), .unixTight(delay: extraDelay),
            .classic(delay: defaultDelay), .classic(delay: extraDelay)]
  }

  public var description: String {
    switch self {
    case .classic(let d): "ClassicReset(\(LoaderError.seconds(d)))"
    case .unixTight(let d): "UnixTightReset(\(LoaderError.seconds(d)))"
    case .usbJTAGSerial: "USBJTAGSerialReset"
    }
  }

  /// Runs the sequence. Control-line failures propagate; `ControlLines` decides whether they are fatal.
  public func run(_ lines: ControlLines, sleep: (Double) -> Void) throws(TransportError) {
    switch self {
    case .classic(let delay):
      try lines.set(dtr: false)
      try lines.set(rts: true)   // EN low: chip in reset, IO0 high
      sleep(0.1)
      try lines.set(dtr: true)   // IO0 low
      try lines.set(rts: false)  // EN high: chip boots into the loader
      sleep(delay)
      if !lines.flowControlVariant { try lines.set(dtr: false) }  // IO0 high again
    case .unixTight(let delay):
      try lines.setBoth(dtr: false, rts: false)
      try lines.setBoth(dtr: true, rts: true)
      try lines.setBoth(dtr: false, rts: true)
      sleep(0.1)
      try lines.setBoth(dtr: true, rts: false)
      sleep(delay)
      if !lines.flowControlVariant {
        try lines.setBoth(dtr: false, rts: false)
        try lines.set(dtr: false)
      }
    case .usbJTAGSerial:
      try lines.set(rts: false)
      try lines.set(dtr: false)
      sleep(0.1)
      try lines.set(dtr: true)
      try lines.set(rts: false)
      sleep(0.1)
      try lines.set(rts: true)
      try lines.set(dtr: false)
      try lines.set(rts: true)
      sleep(0.1)
      try lines.set(dtr: false)
      try lines.set(rts: false)
    }
  }
}

/// DTR/RTS writes on a transport, with esptool's Windows habit of re-writing DTR after RTS, and the current
/// state tracked so single-line writes can be replayed.
public final class ControlLines {
  public let transport: any Transport
  public private(set) var dtr = false
  public private(set) var rts = false
  /// The CP2102C variant (esp-pylib): IO0 stays low after the reset sequence, and the hard reset goes
  /// DTR=0 RTS=1, 0.1 s, DTR=1, 0.1 s, RTS=0.
  public var flowControlVariant = false

  public init(transport: any Transport) {
    self.transport = transport
  }

  public func set(dtr value: Bool) throws(TransportError) {
    try transport.setControlLines(dtr: value, rts: nil)
    dtr = value
  }

  public func set(rts value: Bool) throws(TransportError) {
    try transport.setControlLines(dtr: nil, rts: value)
    rts = value
    try transport.setControlLines(dtr: dtr, rts: nil)
  }

  public func setBoth(dtr d: Bool, rts r: Bool) throws(TransportError) {
    try transport.setControlLines(dtr: d, rts: r)
    dtr = d
    rts = r
  }

  /// HardReset (§3.2): pulse EN low. `usb` waits longer for chips that talk over their own USB.
  public func hardReset(usb: Bool, sleep: (Double) -> Void) throws(TransportError) {
    if flowControlVariant {
      try set(dtr: false)
      try set(rts: true)
      sleep(0.1)
      try set(dtr: true)
      sleep(0.1)
      try set(rts: false)
      return
    }
    try set(rts: true)
    sleep(usb ? 0.2 : 0.1)
    try set(rts: false)
    if usb { sleep(0.2) }
  }

  /// True for the errors a pseudo-terminal or a network port gives for DTR/RTS: esptool warns once and
  /// carries on (ENOTTY, EINVAL; §3.2).
  public static func isHarmless(_ error: TransportError) -> Bool {
    switch error {
    case .controlLinesUnsupported: return true
    case .io(_, _, let code, _): return code == ENOTTY || code == EINVAL
    default: return false
    }
  }
}
