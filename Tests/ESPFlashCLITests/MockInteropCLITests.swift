import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The built binary against esp32-mock-bootloader 0.3.0 over `socket://`. Skipped, with the reason, when
/// `ESPFLASH_INTEROP_PYTHON` does not name a Python with the mock and esptool (scripts/test sets it).
enum CLIMock {
  static let python = InteropPython.path

  static let available: Bool = {
    guard !python.isEmpty, FileManager.default.isExecutableFile(atPath: python) else { return false }
    return stubDirectory != nil
  }()

  /// esptool's stub directory in that Python, handed to the CLI as ESPFLASH_STUB_DIR.
  static let stubDirectory: String? = InteropPython.esptoolDirectory(python: python, alsoImporting: ["esp32_mock_bootloader"])
    .map { $0 + "/targets/stub_flasher" }

  /// The mock for one test (TestSupport's `MockBootloader`: free port, bounded start and stop).
  static func server(chip: String) throws -> MockBootloader { try MockBootloader(python: python, chip: chip) }

  static func temp(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("espflash-\(getpid())-\(name)")
  }
}

@Suite(.serialized, .enabled(if: CLIMock.available,
                             "needs esptool 5.6.0 and esp32-mock-bootloader 0.3.0 in ESPFLASH_INTEROP_PYTHON (run scripts/test)"))
struct MockInteropCLITests {
  var env: [String: String] { ["ESPFLASH_STUB_DIR": CLIMock.stubDirectory ?? ""] }

  @Test(arguments: ["esp8266", "esp32"])
  func writeReadBackVerifyThroughTheBinary(chip: String) throws {
    let server = try CLIMock.server(chip: chip)
    defer { server.stop() }
    let input = CLIMock.temp("\(chip)-in.bin"), output = CLIMock.temp("\(chip)-out.bin")
    defer { try? FileManager.default.removeItem(at: input); try? FileManager.default.removeItem(at: output) }
    var bytes = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
    bytes += [UInt8](repeating: 0xC0, count: 1000) + [UInt8](repeating: 0xFF, count: 100_000)
    try Data(bytes).write(to: input)

    let board = try FlashCLI.run(["board-info", "-p", server.url, "--json"], environment: env)
    #expect(board.status == 0, "\(board.stderr)")
    let info = try JSONSerialization.jsonObject(with: Data(board.stdout.utf8)) as? [String: Any]
    #expect(info?["chip"] as? String == chip)
    #expect(info?["flashId"] as? String == "0x164020")

    let write = try FlashCLI.run(["write-flash", "-p", server.url, "--json", "0x300000", input.path], environment: env)
    #expect(write.status == 0, "\(write.stderr)")
    let files = (try JSONSerialization.jsonObject(with: Data(write.stdout.utf8)) as? [String: Any])?["files"] as? [[String: Any]]
    #expect(files?.first?["verified"] as? Bool == true, "\(write.stdout)")

    let read = try FlashCLI.run(["read-flash", "-p", server.url, "0x300000", String(bytes.count), output.path], environment: env)
    #expect(read.status == 0, "\(read.stderr)")
    #expect(try Data(contentsOf: output) == Data(bytes))

    let verify = try FlashCLI.run(["verify_flash", "-p", server.url, "0x300000", input.path], environment: env)
    #expect(verify.status == 0, "\(verify.stderr)")
    let wrong = try FlashCLI.run(["verify-flash", "-p", server.url, "0x300001", input.path], environment: env)
    #expect(wrong.status == 65, "\(wrong.stderr)")
  }

  @Test func esp8266RomWithoutStubSaysItCannotVerifyOrRead() throws {
    let server = try CLIMock.server(chip: "esp8266")
    defer { server.stop() }
    let input = CLIMock.temp("rom-in.bin")
    defer { try? FileManager.default.removeItem(at: input) }
    try Data([UInt8](repeating: 0x42, count: 5000)).write(to: input)
    let write = try FlashCLI.run(["write_flash", "--stub", "none", "-p", server.url, "3145728", input.path], environment: env)
    #expect(write.status == 0, "\(write.stderr)")
    #expect(write.stderr.contains("NOT verified"))
    #expect(!write.stdout.contains("written, verified"))
    let read = try FlashCLI.run(["read-flash", "--no-stub", "-p", server.url, "0x300000", "16", CLIMock.temp("never").path], environment: env)
    #expect(read.status == 69)
    #expect(read.stderr.contains("ESP8266 ROM"))
    #expect(read.stderr.contains("hint:"))
  }
}
