import ArgumentParser
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

  /// esptool syncs at 115200 at most; the transfer rate defaults to 460800, which every common bridge
  /// (CP210x, CH340, FTDI) carries reliably and which cuts a 1 MiB stub upload from ~4.3 s to ~1.1 s of
  /// UART time (rom-protocol §11). The ESP8266 ROM without a stub stays at 115200 anyway.
  static let defaultTransferBaud = 460_800

  var transferBaud: Int {
    if let baud { return baud }
    if let env = ProcessInfo.processInfo.environment["ESPFLASH_BAUD"], let value = Int(env) { return value }
    return Self.defaultTransferBaud
  }

  var stubChoice: StubChoice { noStub ? .none : stub }

  func validate() throws {
    if let baud, !(300...12_000_000).contains(baud) {
      throw ValidationError("--baud \(baud) is outside 300…12000000")
    }
    if connectAttempts < 0 { throw ValidationError("--connect-attempts must be 0 or more") }
  }
}
