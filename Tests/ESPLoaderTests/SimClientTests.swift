import DeviceSimulator
import ESPLoader
import ESPTransport
import Foundation
import Testing
import TestSupport

/// Our ESPLoader client against the virtual board: the two sides were written apart (the board parses
/// requests itself), so these runs check one against the other, including how the client reports faults.
@Suite("Virtual board driven by the ESPLoader client")
struct SimClientTests {
  /// A board that starts running its (blank) flash, so the client must reset it into the loader via DTR/RTS;
  /// the ESP8266 boot log then arrives at 74880 baud, as noise before SYNC.
  static func connect(_ chip: Chip, flash: NORFlash? = nil) throws -> (Flasher, VirtualBoard) {
    let board = VirtualBoard(configuration: BoardConfiguration(chip: chip), flash: flash, startInDownloadMode: false)
    let transport = VirtualBoardTransport(board: board, name: "sim://\(chip.rawValue)")
    let flasher = try Flasher.connect(transport: transport, options: ConnectOptions(before: .defaultReset),
                                      sleep: { _ in })
    return (flasher, board)
  }

  static let stubDirectory: String? = {
    if let dir = ProcessInfo.processInfo.environment["ESPFLASH_STUB_DIR"], !dir.isEmpty { return dir }
    let python = InteropPython.path
    guard !python.isEmpty else { return nil }
    let lib = URL(fileURLWithPath: python).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lib")
    let version = ((try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []).first { $0.hasPrefix("python3") }
    let dir = version.map { lib.appendingPathComponent("\($0)/site-packages/esptool/targets/stub_flasher").path }
    return dir.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
  }()

  static func payload(_ size: Int, seed: UInt64) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    return (0..<size).map { index -> UInt8 in index % 4 == 0 ? random.byte() : UInt8(truncatingIfNeeded: index / 64) }
  }

  @Test("auto-detect after a DTR/RTS reset through the boot log, for ESP8266 and ESP32",
        arguments: [Chip.esp8266, .esp32])
  func detectAfterReset(chip: Chip) throws {
    let (flasher, board) = try Self.connect(chip)
    #expect(flasher.chip == chip)
    #expect(!flasher.isStub)
    #expect(board.state == .romLoader)
    #expect(board.meter.noiseBytes > 0)
    #expect(try flasher.readFlashID() == 0x1640EF)
  }

  @Test("ESP32 ROM: compressed write, MD5 verify, READ_FLASH_SLOW read back")
  func esp32ROMRoundTrip() throws {
    let (flasher, board) = try Self.connect(.esp32)
    let data = Self.payload(0x5000, seed: 5)
    let result = try flasher.writeFlash(data, at: 0x310000)
    if case .verified = result.verification {} else { Issue.record("not verified: \(result.verification)") }
    #expect(board.flash.read(at: 0x310000, count: data.count) == data)
    #expect(try flasher.readFlash(offset: 0x310000, size: 0x300) == Array(data.prefix(0x300)))
  }

  @Test("ESP8266 ROM: plain write lands byte for byte; the erase bug's extra sector is the only other change")
  func esp8266ROMWrite() throws {
    let dirty = NORFlash(contents: [UInt8](repeating: 0x00, count: 4 << 20))
    let (flasher, board) = try Self.connect(.esp8266, flash: dirty)
    let data = Self.payload(0x3000, seed: 6)
    _ = try flasher.writeFlash(data, at: 0x300000)
    #expect(board.flash.read(at: 0x300000, count: data.count) == data)
    // 3 sectors asked at a block boundary: the ROM erases 4 (rom-protocol.md §5.3 table).
    #expect(erasedSectors(board.flash) == [0x303])
  }

  @Test("a corrupted FLASH_DATA byte on the wire: the ROM answers 0x07 and the client reports it")
  func corruptedBlockIsReported() throws {
    let (flasher, board) = try Self.connect(.esp8266)
    var rules: [FaultPlan.Rule] = []
    for frame in board.framesReceived..<(board.framesReceived + 40) {
      rules.append(.init(.hostToDevice, frame: frame, .corruptByte(at: 8 + 16 + 10, xor: 0x20)))
    }
    board.faults = FaultPlan(rules: rules)
    #expect {
      _ = try flasher.writeFlash(Self.payload(0x2000, seed: 7), at: 0x300000)
    } throws: { error in
      // The client wraps the device's answer with the range left unwritten; the ROM's code must be in it.
      guard let error = error as? LoaderError,
            case .writeInterrupted(_, _, _, let underlying) = error,
            case .deviceRejected(let command, _, let status) = underlying else { return false }
      return command == "FLASH_DATA" && status.first == 1 && status.second == 0x07
    }
  }

  @Test("a lost reply: the client times out with an error instead of hanging")
  func lostReplyTimesOut() throws {
    let (flasher, board) = try Self.connect(.esp32)
    board.faults = FaultPlan(rules: [.init(.deviceToHost, frame: board.framesSent, .dropFrame)])
    #expect(throws: LoaderError.self) { _ = try flasher.readRegister(0x4000_1000) }
  }

  @Test("stub (esptool's own JSON): upload, compressed write, stub read back, reset mid-write is recovered",
        .enabled(if: SimClientTests.stubDirectory != nil,
                 "no esptool stub JSON: set ESPFLASH_STUB_DIR or ESPFLASH_INTEROP_PYTHON (scripts/test does)"),
        arguments: [Chip.esp8266, .esp32])
  func stubRoundTrip(chip: Chip) throws {
    let roots = [try #require(Self.stubDirectory)]
    let stub = try StubImage.load(path: try #require(StubLocator.find(chip: chip, roots: roots)))
    let (flasher, board) = try Self.connect(chip)
    try flasher.runStub(stub)
    #expect(flasher.isStub)
    #expect(board.state == .stubLoader)
    let data = Self.payload(0x9000, seed: 8)
    let result = try flasher.writeFlash(data, at: 0x200000)
    if case .verified = result.verification {} else { Issue.record("not verified: \(result.verification)") }
    #expect(try flasher.readFlash(offset: 0x200000, size: data.count) == data)

    // A reset mid-write drops the chip back to its ROM: the client notices (SYNC answered by the ROM),
    // uploads the stub again, writes from the last confirmed sector and verifies the whole region.
    board.faults = FaultPlan(rules: [.init(.hostToDevice, frame: board.framesReceived + 2, .reset(intoDownloadMode: true))])
    let again = Self.payload(0x20000, seed: 9)
    let recovered = try flasher.writeFlash(again, at: 0x100000)
    #expect(recovered.verification == .verified(md5: Flasher.md5Hex(again)))
    #expect(board.flash.read(at: 0x100000, count: again.count) == again)
    #expect(flasher.recoveries.contains { $0.contains("the chip was reset") }, "\(flasher.recoveries)")
    #expect(board.state == .stubLoader)
    flasher.recovery = .none
    board.faults = FaultPlan(rules: [.init(.hostToDevice, frame: board.framesReceived + 2, .reset(intoDownloadMode: true))])
    #expect(throws: LoaderError.self) { _ = try flasher.writeFlash(Self.payload(0x20000, seed: 10), at: 0x100000) }
    #expect(board.state == .romLoader)
  }
}
