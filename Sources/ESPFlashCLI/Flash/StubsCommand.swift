import ArgumentParser
import ESPLoader
import ESPTransport
import Foundation

/// `stubs`: every esptool flasher stub on this machine, and which one `--stub auto` loads for each chip.
struct StubsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stubs",
    abstract: "List the esptool flasher stubs found on this machine (chip, esptool version, path, licence).",
    discussion: """
      Stubs are read from installations users already have, never shipped with this tool: ESPFLASH_STUB_DIR, \
      the esptool python3 imports, pip site-packages, PlatformIO's tool-esptoolpy, and the ESP8266 and ESP32 \
      Arduino cores in Arduino15 (~/.arduino15, ~/Library/Arduino15, %LOCALAPPDATA%\\Arduino15, or \
      ARDUINO_DIRECTORIES_DATA). Both stub formats are read: esptool ≥ 4.2's JSON files and the zlib+base64 \
      literals inside older esptool.py files (the ESP8266 core's esptool 3.0). `*` marks the stub --stub auto \
      loads for each chip: the first found, esp-flasher-stub (2, Apache-2.0 OR MIT) before the legacy stub \
      (1, GPL-2.0-or-later) of the same esptool.
      Examples:
        espflash-swift stubs
        espflash-swift stubs --json
      """)

  @Flag(help: "Print the list as JSON on stdout.")
  var json = false

  @Flag(help: "Also load each stub to check it parses.")
  var check = false

  func run() throws {
    let found = StubCatalog.discover()
    let chosen = Set(Chip.allCases.compactMap { StubCatalog.best(for: $0, in: found)?.identity })
    var problems: [String: String] = [:]
    if check {
      for stub in found {
        do { _ = try stub.load() } catch { problems[stub.identity] = ErrorReport.render(error)?.text ?? "\(error)" }
      }
    }
    if json {
      try Console.json(found.map {
        StubJSON(chip: $0.chip.rawValue, esptoolVersion: $0.esptoolVersion, path: $0.path, format: $0.format.rawValue,
                 stubGeneration: $0.stubGeneration, licence: $0.licence, origin: $0.origin,
                 autoChoice: chosen.contains($0.identity), problem: problems[$0.identity])
      })
      return
    }
    guard !found.isEmpty else {
      Console.note("No flasher stubs found. Install esptool (pip install esptool), the ESP8266/ESP32 Arduino core, or "
                    + "PlatformIO's espressif platform; or set ESPFLASH_STUB_DIR.")
      return
    }
    Console.print("  chip      esptool   format           licence            path")
    for stub in found {
      let mark = chosen.contains(stub.identity) ? "* " : "  "
      Console.print(mark + Console.rightPad(stub.chip.rawValue, 10) + Console.rightPad(stub.esptoolVersion ?? "?", 10)
                     + Console.rightPad(stub.format.rawValue + (stub.stubGeneration.map { " (\($0))" } ?? ""), 17)
                     + Console.rightPad(stub.licence, 19) + stub.path)
      if let problem = problems[stub.identity] { Console.print("    " + problem.trimmingCharacters(in: .newlines)) }
    }
    Console.note("\(found.count) stubs; * = what --stub auto loads for that chip")
  }
}

private struct StubJSON: Encodable {
  var chip: String
  var esptoolVersion: String?
  var path: String
  var format: String
  var stubGeneration: String?
  var licence: String
  var origin: String
  var autoChoice: Bool
  var problem: String?
}

extension StubInstallation {
  /// A path holds several chips' embedded stubs, so the chip is part of the identity.
  var identity: String { chip.rawValue + "|" + path }
}
