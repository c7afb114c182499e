import DeviceSimulator
import Foundation
import Testing
@testable import ESPLoader

/// What real boards need that a plain simulator never asked for, each exercised on a virtual board that
/// has the feature: USB-Serial/JTAG watchdogs, the USB-OTG block size, Secure Download Mode, ESP32 in-package
/// flash pads, an XMC part that failed to wake, a flash that does not answer, `--after no-reset`.
@Suite struct RealBoardTests {
  static func board(_ chip: Chip, _ tweak: (inout BoardConfiguration) -> Void) -> (VirtualBoard, VirtualBoardTransport) {
    var configuration = BoardConfiguration(chip: chip, bootLog: false)
    tweak(&configuration)
    let board = VirtualBoard(configuration: configuration)
    return (board, VirtualBoardTransport(board: board))
  }

  static func connect(_ transport: any Transport, _ options: ConnectOptions = ConnectOptions()) throws -> Flasher {
    try Flasher.connect(transport: transport, options: options, sleep: { _ in })
  }

  @Test(arguments: [Chip.esp32c3, .esp32s3, .esp32c6, .esp32h2])
  func usbSerialJTAGWatchdogsAreDisabledAfterConnecting(chip: Chip) throws {
    let (board, transport) = Self.board(chip) { $0.usbSerialJTAG = true }
    // The board is already in download mode; the in-process transport models a UART bridge's reset circuit,
    // not the USB-Serial/JTAG peripheral's, so no reset here.
    let flasher = try Self.connect(transport, ConnectOptions(before: .noReset, usbJTAGSerial: true))
    let data = noise(160 * 1024, seed: 21)  // 160 ROM blocks: far past the watchdog's patience
    let result = try flasher.writeFlash(data, at: 0x10_0000, compress: false)
    #expect(result.verification == .verified(md5: Flasher.md5Hex(data)))
    #expect(board.watchdogResets == 0)
    #expect(flasher.recoveries.isEmpty, "\(flasher.recoveries)")
  }

  @Test func withoutDisablingThemTheWatchdogResetsTheChipMidWrite() throws {
    let (board, transport) = Self.board(.esp32c3) { $0.usbSerialJTAG = true }
    // The client is not told the port is USB-Serial/JTAG, so it leaves the watchdogs alone (what a flasher
    // that only knows UART bridges does).
    let flasher = try Self.connect(transport)
    flasher.recovery = .none
    #expect(throws: LoaderError.self) { _ = try flasher.writeFlash(noise(160 * 1024, seed: 22), at: 0x10_0000, compress: false) }
    #expect(board.watchdogResets == 1)
  }

  @Test func usbOTGROMTakesTheStubInSmallBlocks() throws {
    let stub = StubImage(text: noise(0x3000, seed: 1), textStart: 0x4037_0000, data: [1, 2, 3, 4],
                         dataStart: 0x3FC9_0000, entry: 0x4037_0004, source: "test stub")
    let (_, otg) = Self.board(.esp32s3) { $0.usbOTG = true }
    let flasher = try Self.connect(otg)  // no USB ids (like a socket): esptool assumes USB-OTG may be there
    #expect(flasher.ramBlockSize == 0x800)
    try flasher.runStub(stub)
    #expect(flasher.isStub)
    let (_, known) = Self.board(.esp32s3) { $0.usbOTG = true }
    var options = ConnectOptions()
    options.usbOTG = false  // a port the host knows is not USB-OTG sends esptool's 0x1800 blocks: refused here
    let wrong = try Self.connect(known, options)
    #expect(wrong.ramBlockSize == 0x1800)
    #expect(throws: LoaderError.self) { try wrong.runStub(stub) }
  }

  @Test(arguments: [Chip.esp32c3, .esp32s3, .esp32s2])
  func secureDownloadModeWritesWithTheROMAndSaysItCannotVerify(chip: Chip) throws {
    let (board, transport) = Self.board(chip) { $0.secureDownloadMode = true }
    let flasher = try Self.connect(transport)
    #expect(flasher.chip == chip)
    #expect(flasher.secureDownloadMode)
    #expect(flasher.stubRefusal != nil)
    #expect(throws: LoaderError.self) { try flasher.runStub(VirtualBoardFlasherTests.stub(for: chip)) }
    let data = noise(8 * 1024, seed: 23)
    // No JEDEC id in SDM: without --flash-size the ROM's own 2 MB geometry bounds the write.
    let result = try flasher.writeFlash(data, at: 0x1_0000)
    guard case .notVerified(let reason) = result.verification else { Issue.record("claimed verified in SDM"); return }
    #expect(reason.contains("Secure Download Mode"))
    #expect(board.flash.read(at: 0x1_0000, count: data.count) == data)
    #expect(throws: LoaderError.self) { _ = try flasher.readFlash(offset: 0x1_0000, size: 64) }
  }

  @Test func esp32c3WithSecureBootSkipsTheStub() throws {
    let (_, transport) = Self.board(.esp32c3) { $0.secureBoot = true }
    let flasher = try Self.connect(transport)
    #expect(flasher.secureBootEnabled && !flasher.secureDownloadMode)
    #expect(flasher.stubRefusal?.contains("Secure Boot") == true)
  }

  @Test func esp32InPackageFlashIsAttachedWithTheEfusePads() throws {
    // PICO-D4-like pins: CLK 6, Q 17, D 8, HD 11, CS 16, packed as SPI_ATTACH takes them.
    let pads: UInt32 = 11 << 24 | 16 << 18 | 8 << 12 | 17 << 6 | 6
    let (board, transport) = Self.board(.esp32) { $0.spiPadConfiguration = pads }
    let flasher = try Self.connect(transport)
    #expect(try flasher.spiPadConfiguration() == pads)
    let data = noise(4096, seed: 24)
    #expect(try flasher.writeFlash(data, at: 0x1_0000).verification == .verified(md5: Flasher.md5Hex(data)))
    #expect(board.flash.read(at: 0x1_0000, count: data.count) == data)
  }

  @Test func attachingRunsTheXMCWakeUpAndTheFlashReset() throws {
    let (board, transport) = Self.board(.esp32) {
      $0.xmcBootFailure = true
      $0.jedecID = 0x16_4020  // XMC XM25QH32C
    }
    let flasher = try Self.connect(transport)
    #expect(try flasher.detectFlashSize() == 4 << 20)
    let log = board.spiCommandLog
    let wake: [UInt8] = [0xB9, 0x79, 0xFF, 0xAB]
    #expect(log.windows(wake), "\(log.map { String($0, radix: 16) })")
    #expect(log.windows([0x66, 0x99]), "\(log.map { String($0, radix: 16) })")
  }

  @Test func aFlashThatDoesNotAnswerIsReportedNotTakenAs4MB() throws {
    let (_, transport) = Self.board(.esp32) { $0.flashMissing = true }
    let flasher = try Self.connect(transport)
    #expect {
      _ = try flasher.detectFlashSize()
    } throws: { error in
      guard case .unreadableFlashID = error as? LoaderError else { return false }
      return true
    }
  }

  @Test(arguments: [Chip.esp8266, .esp32])
  func afterNoResetHandsTheStubBackToTheROM(chip: Chip) throws {
    let (board, transport) = Self.board(chip) { _ in }
    let flasher = try Self.connect(transport)
    try flasher.runStub(VirtualBoardFlasherTests.stub(for: chip))
    #expect(board.state == .stubLoader)
    _ = try flasher.finish(.noReset)
    #expect(board.state == .romLoader)
    // The next command, told not to reset, finds a ROM loader that syncs (not a stub that is half there).
    let next = try Self.connect(transport, ConnectOptions(before: .noReset))
    #expect(!next.isStub)
  }

  @Test func cp2102cResetKeepsIO0LowAndPulsesDifferently() throws {
    let recorder = LineRecorder()
    let lines = ControlLines(transport: recorder)
    lines.flowControlVariant = true
    try ResetStrategy.classic(delay: 0.05).run(lines, sleep: { _ in })
    #expect(recorder.dtr == true)  // IO0 stays low: no trailing DTR=0
    recorder.log.removeAll()
    try lines.hardReset(usb: false, sleep: { _ in })
    #expect(recorder.log == ["DTR=0", "RTS=1", "DTR=0", "DTR=1", "RTS=0", "DTR=1"])
  }

  @Test func stubStatusWithoutACodeIsNotARomError() {
    let status = DeviceStatus(first: 1, second: 0, fromStub: true)
    #expect(!status.description.contains("ROM error"))
    #expect(status.description.contains("stub failure status 0x01"))
    #expect(DeviceStatus(first: 1, second: 0x07, fromStub: false).description.contains("ROM error 0x107"))
  }

  @Test func sevenConnectAttemptsAreCountedAsSeven() {
    let tried = (1...7).map { "\($0): no reset, 5 × SYNC: no reply" }
    let text = LoaderError.connectFailed(port: "p", tried: tried, bootLog: nil).description
    #expect(text.contains("(7 attempts:"), "\(text)")
    #expect(text.contains("… 3 more like these"), "\(text)")
  }
}

extension Array where Element: Equatable {
  /// Whether `run` appears here as a contiguous run.
  func windows(_ run: [Element]) -> Bool {
    guard run.count <= count else { return false }
    return (0...(count - run.count)).contains { Array(self[$0..<($0 + run.count)]) == run }
  }
}

/// A transport that only records DTR/RTS writes.
final class LineRecorder: Transport {
  var log: [String] = []
  var dtr = false
  var rts = false
  var name: String { "recorder" }
  var baudRate: Int { 115_200 }
  var supportsControlLines: Bool { true }
  func write(_ bytes: [UInt8]) throws(TransportError) {}
  func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8] { [] }
  func discardInput() throws(TransportError) {}
  func setBaudRate(_ baud: Int) throws(TransportError) {}
  func setControlLines(dtr newDTR: Bool?, rts newRTS: Bool?) throws(TransportError) {
    if let newDTR { dtr = newDTR; log.append("DTR=\(newDTR ? 1 : 0)") }
    if let newRTS { rts = newRTS; log.append("RTS=\(newRTS ? 1 : 0)") }
  }
  func close() {}
}
