import Crypto
import Foundation
import Testing
import TestSupport
@testable import ESPLoader
@testable import ESPTransport

/// Our client against the real esp32-mock-bootloader 0.3.0 (PyPI) over TCP. `scripts/test` installs it and
/// esptool into `.interop-venv` and sets `ESPFLASH_INTEROP_PYTHON`; without them these tests are reported as
/// skipped with the reason, never as passed.
enum MockInterop {
  static let python = InteropPython.path

  /// Both the mock and esptool's stub files are importable from the interop Python.
  static let available: Bool = {
    guard !python.isEmpty, FileManager.default.isExecutableFile(atPath: python) else { return false }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = ["-c", "import esp32_mock_bootloader, esptool"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }()

  /// esptool's `targets/stub_flasher` directory in the interop environment.
  static var stubRoot: String? {
    StubLocator.esptoolDirectory(python: python).map { $0 + "/targets/stub_flasher" }
  }

  /// A running mock on a free loopback port, killed (bounded) when released (TestSupport's `MockBootloader`).
  static func server(chip: String) throws -> MockBootloader { try MockBootloader(python: python, chip: chip) }

  static func connect(_ server: MockBootloader, chip: Chip, stub: Bool) throws -> Flasher {
    let transport = try TCPTransport(url: server.url)
    let flasher = try Flasher.connect(transport: transport, options: ConnectOptions(before: .noReset, chip: chip))
    if stub {
      let root = try #require(stubRoot, "esptool's stub directory")
      let path = try #require(StubLocator.find(chip: chip, roots: [root]), "a stub JSON for \(chip)")
      try flasher.runStub(try StubImage.load(path: path))
    }
    return flasher
  }

  static func payload(_ n: Int) -> [UInt8] {
    // Random-looking head with C0/DB bytes for escaping, then compressible text and 0xFF, like test_1MiB.bin.
    var x: UInt32 = 0x1234_5678
    var out = (0..<min(n, 8192)).map { _ -> UInt8 in x = x &* 1_664_525 &+ 1_013_904_223; return UInt8(truncatingIfNeeded: x >> 24) }
    out += [0xC0, 0xDB, 0xC0, 0xDB]
    while out.count < n / 2 { out += Array("espflash-swift interop line \(out.count)\n".utf8) }
    out += [UInt8](repeating: 0xFF, count: max(0, n - out.count))
    return Array(out.prefix(n))
  }
}

@Suite(.serialized, .enabled(if: MockInterop.available,
                             "needs esptool 5.6.0 and esp32-mock-bootloader 0.3.0 in ESPFLASH_INTEROP_PYTHON (run scripts/test)"))
struct MockInteropTests {
  @Test(arguments: [Chip.esp8266, .esp32])
  func romConnectDetectsAndIdentifiesTheFlash(chip: Chip) throws {
    let server = try MockInterop.server(chip: chip.rawValue)
    defer { server.stop() }
    let flasher = try MockInterop.connect(server, chip: chip, stub: false)
    #expect(flasher.chip == chip)
    #expect(!flasher.isStub)
    let info = try flasher.boardInfo(hostBaud: 115_200)
    #expect(info.flashID == 0x16_4020)  // the mock's fixed XMC id
    #expect(info.flashSize == 4 << 20)
    #expect(info.mac.count == 6)
  }

  @Test func esp8266RomWriteIsNotVerifiedThenStubVerifiesAndReadsItBack() throws {
    let server = try MockInterop.server(chip: "esp8266")
    defer { server.stop() }
    let data = MockInterop.payload(96 * 1024)
    do {
      let rom = try MockInterop.connect(server, chip: .esp8266, stub: false)
      let result = try rom.writeFlash(data, at: 0x30_0000)
      guard case .notVerified = result.verification else { Issue.record("ESP8266 ROM write claimed verification"); return }
      rom.transport.close()
    }
    let stub = try MockInterop.connect(server, chip: .esp8266, stub: true)
    #expect(stub.isStub)
    let digest = try stub.flashMD5(offset: 0x30_0000, size: data.count)
    #expect(digest == Array(Insecure.MD5.hash(data: data)))
    #expect(try stub.readFlash(offset: 0x30_0000, size: data.count) == data)
  }

  @Test(arguments: [Chip.esp8266, .esp32])
  func stubWriteReadVerifyErase(chip: Chip) throws {
    let server = try MockInterop.server(chip: chip.rawValue)
    defer { server.stop() }
    let data = MockInterop.payload(256 * 1024)
    let flasher = try MockInterop.connect(server, chip: chip, stub: true)
    let result = try flasher.writeFlash(data, at: 0x20_0000)
    #expect(result.verification == .verified(md5: Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()))
    #expect(result.compressedSize != nil)
    flasher.transport.close()  // the mock drops the link 3 s after FLASH_DEFL_END; start afresh

    let again = try MockInterop.connect(server, chip: chip, stub: true)
    #expect(try again.readFlash(offset: 0x20_0000, size: 64 * 1024) == Array(data.prefix(64 * 1024)))
    try again.eraseRegion(offset: 0x20_0000, size: 0x1000)
    let erased = try again.readFlash(offset: 0x20_0000, size: 0x1000)
    #expect(erased == [UInt8](repeating: 0xFF, count: 0x1000))
  }

  @Test func esp32RomCompressedWriteVerifiedAndSlowReadBack() throws {
    let server = try MockInterop.server(chip: "esp32")
    defer { server.stop() }
    let data = MockInterop.payload(128 * 1024)
    let flasher = try MockInterop.connect(server, chip: .esp32, stub: false)
    let result = try flasher.writeFlash(data, at: 0x10_0000)
    guard case .verified = result.verification else { Issue.record("not verified: \(result)"); return }
    #expect(try flasher.readFlash(offset: 0x10_0000, size: 4096) == Array(data.prefix(4096)))
    let plain = try flasher.writeFlash(Array(data.prefix(8192)), at: 0x18_0000, compress: false)
    guard case .verified = plain.verification else { Issue.record("uncompressed write not verified"); return }
  }
}
