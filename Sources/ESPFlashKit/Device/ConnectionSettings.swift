import ESPLoader
import Foundation

/// How to reach and prepare a board: esptool's global options as values.
public struct ConnectionSettings: Sendable {
  /// A device path, `socket://HOST:PORT` or `sim://CHIP?…`; nil: `ESPFLASH_PORT`, else the only USB serial port.
  public var port: String?
  /// The rate after connecting (SYNC always runs at 115200 at most).
  public var transferBaud: Int
  /// nil: detect; a chip: a different one is an error.
  public var chip: Chip?
  public var before: BeforeReset
  public var after: AfterReset
  public var stub: StubSelection
  public var connectAttempts: Int
  /// Every packet as a note.
  public var trace: Bool
  /// Where `ESPFLASH_PORT`, `ESPFLASH_STUB_DIR` and esptool's install are looked up.
  public var environment: [String: String]
  /// Polled at every block boundary of a write, erase or read; true stops it there (Ctrl-C), the chip is
  /// left in its loader and the job ends with `LoaderError.interrupted`.
  public var shouldStop: @Sendable () -> Bool = { false }

  /// esptool syncs at 115200 at most; the transfer rate defaults to 460800, which every common bridge
  /// (CP210x, CH340, FTDI) carries reliably and which cuts a 1 MiB stub upload from ~4.3 s to ~1.1 s of
  /// UART time (rom-protocol §11). The ESP8266 ROM without a stub stays at 115200 anyway.
  public static let defaultTransferBaud = 460_800

  public init(port: String? = nil, transferBaud: Int = defaultTransferBaud, chip: Chip? = nil,
              before: BeforeReset = .defaultReset, after: AfterReset = .hardReset, stub: StubSelection = .auto,
              connectAttempts: Int = 7, trace: Bool = false,
              environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.port = port
    self.transferBaud = transferBaud
    self.chip = chip
    self.before = before
    self.after = after
    self.stub = stub
    self.connectAttempts = connectAttempts
    self.trace = trace
    self.environment = environment
  }
}

/// Which flasher stub to run.
public enum StubSelection: Equatable, Sendable, CustomStringConvertible {
  /// esptool's stub from an installed esptool or `ESPFLASH_STUB_DIR`; the ROM loader when none is found.
  case auto
  /// The ROM loader only.
  case none
  /// A stub JSON file.
  case path(String)

  public var description: String {
    switch self {
    case .auto: "auto"
    case .none: "none"
    case .path(let p): p
    }
  }
}
