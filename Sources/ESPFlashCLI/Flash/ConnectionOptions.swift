import ArgumentParser
import ESPFlashKit
import ESPLoader
import Foundation

/// A value that accepts esptool's v5 dash spelling and its v3 underscore spelling (`default_reset`).
protocol SpelledChoice: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension SpelledChoice {
  init?(argument: String) {
    let dashed = argument.lowercased().replacingOccurrences(of: "_", with: "-")
    guard let value = Self.allCases.first(where: { $0.rawValue == dashed }) else { return nil }
    self = value
  }
  static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

enum BeforeChoice: String, SpelledChoice {
  case defaultReset = "default-reset", usbReset = "usb-reset", noReset = "no-reset", noResetNoSync = "no-reset-no-sync"
  var value: BeforeReset { BeforeReset(rawValue: rawValue)! }
}

enum AfterChoice: String, SpelledChoice {
  case hardReset = "hard-reset", softReset = "soft-reset", noReset = "no-reset", noResetStub = "no-reset-stub"
  var value: AfterReset { AfterReset(rawValue: rawValue)! }
}

/// `--chip auto|esp8266|esp32|…`.
struct ChipChoice: ExpressibleByArgument, CustomStringConvertible {
  var description: String { chip?.rawValue ?? "auto" }
  var chip: Chip?
  init?(argument: String) {
    if argument.lowercased() == "auto" { chip = nil; return }
    guard let chip = Chip(argument: argument) else { return nil }
    self.chip = chip
  }
  init(chip: Chip?) { self.chip = chip }
  static var allValueStrings: [String] { ["auto"] + Chip.allCases.map(\.rawValue) }
}

/// `--stub auto|none|PATH`.
enum StubChoice: ExpressibleByArgument, Equatable, CustomStringConvertible {
  var description: String {
    switch self {
    case .auto: "auto"
    case .none: "none"
    case .path(let p): p
    }
  }
  case auto, none
  case path(String)
  init?(argument: String) {
    switch argument.lowercased() {
    case "auto": self = .auto
    case "none", "no", "off": self = .none
    default: self = .path(argument)
    }
  }
}

/// The options every device command shares (esptool's global options, §4.2 of users-and-credentials).
struct ConnectionOptions: ParsableArguments {
  @Option(name: [.short, .long], help: "Serial port, socket://HOST:PORT or sim://esp8266?flash=4MB (env ESPFLASH_PORT).")
  var port: String?

  @Option(name: [.short, .long],
          help: "Baud rate for the transfer after connecting at 115200 (env ESPFLASH_BAUD; default 460800).")
  var baud: Int?

  @Option(name: [.short, .long], help: "The chip; auto detects it, a name makes a different chip an error.")
  var chip: ChipChoice = ChipChoice(chip: nil)

  @Option(help: "Reset before connecting (underscore spellings too).")
  var before: BeforeChoice = .defaultReset

  @Option(help: "After the operation (soft-reset: ESP8266 only).")
  var after: AfterChoice = .hardReset

  @Option(help: "Flasher stub: auto (from an installed esptool, or ESPFLASH_STUB_DIR), none (ROM loader only) or a stub JSON path.")
  var stub: StubChoice = .auto

  @Flag(name: .customLong("no-stub"), help: "Same as --stub none (esptool's spelling).")
  var noStub = false

  @Option(help: "Connect attempts, each with the next reset strategy (0 = keep trying).")
  var connectAttempts: Int = 7

  @Flag(help: "Print the result as JSON on stdout.")
  var json = false

  @Flag(help: "Print wire statistics (bytes each way, UART time at the baud rate) on stderr.")
  var stats = false

  @Flag(help: "Trace every packet on stderr.")
  var trace = false

  var transferBaud: Int {
    if let baud { return baud }
    for key in ["ESPFLASH_BAUD", "ESPTOOL_BAUD"] {
      if let env = ProcessInfo.processInfo.environment[key], let value = Int(env), value > 0 { return value }
    }
    return ConnectionSettings.defaultTransferBaud
  }

  var stubChoice: StubChoice { noStub ? .none : stub }

  /// The options as the library takes them.
  var settings: ConnectionSettings {
    let selection: StubSelection = switch stubChoice {
    case .auto: .auto
    case .none: .none
    case .path(let path): .path(path)
    }
    var settings = ConnectionSettings(port: port, transferBaud: transferBaud, chip: chip.chip, before: before.value,
                                      after: after.value, stub: selection, connectAttempts: connectAttempts,
                                      trace: trace)
    StopSignal.install()
    settings.shouldStop = { StopSignal.poll() }
    return settings
  }

  /// The event renderer for a command on this connection: progress bars unless `noProgress`, `--stats`.
  func events(noProgress: Bool = false) -> WorkflowEvents {
    CLIEvents(progress: !noProgress, stats: stats).handler
  }

  /// The wire statistics for `--json`, present only with `--stats`.
  func wire(_ statistics: WireStatistics?) -> WireStatistics? { stats ? statistics : nil }

  func validate() throws {
    if let baud, !(300...12_000_000).contains(baud) {
      throw ValidationError("--baud \(baud) is outside 300…12000000")
    }
    if connectAttempts < 0 { throw ValidationError("--connect-attempts must be 0 or more") }
  }
}
