import Foundation
import Testing
import TestSupport

/// The messages a new user meets first (issue 8 §8) and the release surface (§7).
@Suite struct MessageTests {
  static let commands: [[String]] = [
    ["fs", "build"], ["fs", "upload"], ["fs", "download"], ["fs", "ls"], ["fs", "cat"], ["fs", "extract"],
    ["fs", "provision"], ["fs", "layouts"], ["write-flash"], ["read-flash"], ["board-info"], ["stubs"], ["simulate"],
    ["certs", "check"], ["certs", "convert"], ["certs", "header"],
  ]

  /// At 80 columns every example line is a whole command or an indented continuation of one.
  @Test(arguments: commands)
  func helpExamplesAreNotWrappedMidCommand(_ command: [String]) throws {
    let run = try ProcessRun.run(BuiltCLI.binary, ["help"] + command, environment: ["COLUMNS": "80"], timeout: 30)
    #expect(run.status == 0)
    let lines = run.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(of: "Examples:") else { return }
    var previousContinues = false
    for line in lines[(start + 1)...] {
      if line.isEmpty || line.hasPrefix("USAGE:") { break }
      if previousContinues {
        #expect(line.hasPrefix("    "), "continuation of an example lost its indent: '\(line)'")
      } else {
        #expect(line.hasPrefix("  espflash-swift "), "an example was wrapped mid-command: '\(line)'")
      }
      #expect(line.count <= 80)
      previousContinues = line.hasSuffix("\\")
    }
  }

  @Test func misspelledSubcommandsAreNamed() throws {
    let run = try FlashCLI.run(["fs", "biuld", "data", "-o", "x.bin"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("error: 'biuld' is not a command of espflash-swift fs"), "\(run.stderr)")
    #expect(run.stderr.contains("did you mean 'espflash-swift fs build'?"), "\(run.stderr)")
    #expect(!run.stderr.contains("Unknown option"))
    let top = try FlashCLI.run(["wrte-flash", "0x0", "a.bin"])
    #expect(top.status == 64 && top.stderr.contains("did you mean 'espflash-swift write-flash'"), "\(top.stderr)")
  }

  @Test func esptoolArgumentOrderIsAccepted() throws {
    let folder = try FSTestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("app.bin")
    try Data([0xE9] + [UInt8](repeating: 0x5A, count: 4095)).write(to: file)
    let board = folder.appendingPathComponent("board.bin").path
    // What the ESP8266 core's upload recipe passes (esptool v3 spelling, global options first).
    let run = try FlashCLI.run(["--chip", "esp8266", "--port", "sim://esp8266?flash=1MB&image=\(board)&bootlog=0",
                                "--baud", "115200", "--before", "default_reset", "--after", "hard_reset",
                                "write_flash", "0x10000", file.path, "--stub", "none"])
    #expect(run.status == 0, "\(run.stderr)")
    let written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: board)))
    #expect(written[0x10000] == 0xE9 && written[0x10001] == 0x5A)
  }

  @Test func writingPastA1MBESP8266NamesTheFlashSize() throws {
    let folder = try FSTestSupport.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("big.bin")
    try Data(repeating: 0xA5, count: 0x30000).write(to: file)
    let run = try FlashCLI.run(["write-flash", "--port", "sim://esp8266?flash=1MB&bootlog=0", "--stub", "none",
                                "0xF0000", file.path])
    #expect(run.status == 64, "\(run.stderr)")
    #expect(run.stderr.contains("ends at 0x120000, past the end of the board's 1MB flash"), "\(run.stderr)")
    #expect(!run.stderr.contains("power supply"))
  }

  @Test func jsonErrorsAreAJSONObjectOnStdout() throws {
    let run = try FlashCLI.run(["board-info", "--port", "/dev/nonexistent-espflash-port", "--json"])
    #expect(run.status == 69, "a port that does not exist: device unavailable (README table); \(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
    #expect((object["error"] as? String)?.contains("cannot open /dev/nonexistent-espflash-port") == true)
    #expect(object["exitStatus"] as? Int == 69)
    #expect(object["hint"] is String)
    let usage = try FlashCLI.run(["fs", "ls", "--json", "--bogus"])
    #expect(usage.status == 64)
    let usageObject = try JSONSerialization.jsonObject(with: Data(usage.stdout.utf8)) as? [String: Any]
    #expect(usageObject?["exitStatus"] as? Int == 64, "\(usage.stdout)")
  }

  @Test func versionAndCompletions() throws {
    let version = try FlashCLI.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.hasPrefix("0.1.0 (commit "), "\(version.stdout)")
    for shell in ["bash", "zsh", "fish"] {
      let script = try FlashCLI.run(["--generate-completion-script", shell])
      #expect(script.status == 0)
      for word in ["upload", "download", "stubs", "write-flash", "4M1M", "esp32-default", "esp32-min_spiffs"] {
        #expect(script.stdout.contains(word), "\(shell) completion lacks \(word)")
      }
    }
  }
}
