import DeviceSimulator
import Foundation
import Testing
@testable import ESPLoader

/// Every operation of the flasher against the in-process virtual board (DeviceSimulator), for ESP8266 and
/// ESP32, through the ROM loader and through "a stub" (the board enters stub mode when MEM_END jumps into
/// uploaded code, so a small made-up stub image is enough).
@Suite struct VirtualBoardFlasherTests {
  enum Loader: String, CaseIterable { case rom, stub }

  /// A stand-in stub: real load addresses for each chip, entry inside the text.
  static func stub(for chip: Chip) -> StubImage {
    let (text, data): (UInt32, UInt32) = chip == .esp8266 ? (0x4010_C500, 0x3FFF_AE6C) : (0x400A_8000, 0x3FFD_ED6C)
    return StubImage(text: [UInt8](repeating: 0x00, count: 64), textStart: text, data: [1, 2, 3, 4], dataStart: data,
                     entry: text + 4, source: "test stub")
  }

  static func pattern(_ n: Int, seed: UInt32) -> [UInt8] {
    var x = seed
    var out = (0..<(n / 2)).map { _ -> UInt8 in x = x &* 1_103_515_245 &+ 12345; return UInt8(truncatingIfNeeded: x >> 16) }
    out += (0..<(n - out.count)).map { UInt8(truncatingIfNeeded: $0 / 64) }
    return out
  }

  static func open(_ chip: Chip, loader: Loader, baud: Int? = nil) throws -> (VirtualBoardTransport, Flasher) {
    let transport = try VirtualBoardURL.openBoard("sim://\(chip.rawValue)?flash=4MB")
    let flasher = try Flasher.connect(transport: transport, options: ConnectOptions(before: .defaultReset, chip: nil),
                                      sleep: { _ in })
    #expect(flasher.chip == chip)
    if loader == .stub { try flasher.runStub(stub(for: chip)) }
    if let baud { try flasher.changeBaudRate(baud) }
    return (transport, flasher)
  }

  @Test(arguments: [Chip.esp8266, .esp32], Loader.allCases)
  func boardInfoMatchesTheBoard(chip: Chip, loader: Loader) throws {
    let (transport, flasher) = try Self.open(chip, loader: loader)
    let info = try flasher.boardInfo(hostBaud: 115_200)
    #expect(info.mac == transport.board.configuration.mac)
    #expect(info.flashID == transport.board.configuration.jedecID)
    #expect(info.flashSize == 4 << 20)
    #expect(info.crystalMHz == transport.board.configuration.crystalMHz)
    #expect(flasher.isStub == (loader == .stub))
  }

  @Test(arguments: [Chip.esp8266, .esp32], Loader.allCases)
  func writeVerifyReadEraseRoundTrip(chip: Chip, loader: Loader) throws {
    let fastLink = chip == .esp8266 && loader == .rom ? nil : 921_600
    let (transport, flasher) = try Self.open(chip, loader: loader, baud: fastLink)
    let data = Self.pattern(200 * 1024 + 123, seed: 3)
    let result = try flasher.writeFlash(data, at: 0x10_0000)
    #expect(Array(transport.board.flash.bytes[0x10_0000..<(0x10_0000 + data.count)]) == data)
    if chip == .esp8266 && loader == .rom {
      guard case .notVerified = result.verification else { Issue.record("ESP8266 ROM claimed to verify"); return }
      #expect(throws: LoaderError.self) { try flasher.readFlash(offset: 0x10_0000, size: 64) }
      #expect(throws: LoaderError.self) { try flasher.flashMD5(offset: 0x10_0000, size: 64) }
      #expect(throws: LoaderError.self) { try flasher.eraseRegion(offset: 0x10_0000, size: 0x1000) }
      return
    }
    #expect(result.verification == .verified(md5: Flasher.md5Hex(data)))
    #expect(result.compressedSize != nil)
    let readSize = loader == .rom ? 8192 : data.count  // the ROM reads 64 bytes a round trip
    #expect(try flasher.readFlash(offset: 0x10_0000, size: readSize) == Array(data.prefix(readSize)))
    #expect(try flasher.flashMD5(offset: 0x10_0000, size: data.count) == Flasher.parseHex(Array(Flasher.md5Hex(data).utf8)))
    try flasher.eraseRegion(offset: 0x10_0000, size: 0x2000)
    #expect(transport.board.flash.bytes[0x10_0000..<0x10_2000].allSatisfy { $0 == 0xFF })
    #expect(transport.board.flash.bytes[0x10_2000] == data[0x2000])
    if loader == .stub {
      try flasher.eraseFlash()
      #expect(transport.board.flash.bytes.allSatisfy { $0 == 0xFF })
    } else {
      #expect(throws: LoaderError.self) { try flasher.eraseFlash() }
    }
    // Uncompressed writes too.
    let plain = try flasher.writeFlash(Array(data.prefix(5000)), at: 0x20_0000, compress: false)
    #expect(plain.compressedSize == nil)
    #expect(plain.verification == .verified(md5: Flasher.md5Hex(Array(data.prefix(5000)))))
  }

  @Test func esp8266RomEraseBugMatchesOurWarningModel() throws {
    // Data after the image survives only where the model says the ROM does not over-erase.
    let (transport, flasher) = try Self.open(.esp8266, loader: .rom)
    var notes: [String] = []
    flasher.diagnostics = { notes.append($0) }
    _ = try flasher.writeFlash(Self.pattern(0x1000, seed: 9), at: 0x30_0000)
    let nextSector = Array(transport.board.flash.bytes[0x30_1000..<0x30_2000])
    _ = try flasher.writeFlash(Self.pattern(0x3000, seed: 10), at: 0x30_2000)
    // 3 sectors asked, the ROM erases 4: 0x305000..0x305FFF too, which we announced.
    #expect(Flasher.esp8266ROMOverErase(offset: 0x30_2000, size: 0x3000) == 0x30_5000..<0x30_6000)
    #expect(notes.contains { $0.contains("0x305000..0x305FFF") })
    #expect(nextSector.allSatisfy { $0 == 0xFF })
  }

  @Test(arguments: [Chip.esp8266, .esp32])
  func hardResetLeavesTheLoader(chip: Chip) throws {
    let (transport, flasher) = try Self.open(chip, loader: .stub)
    #expect(try flasher.finish(.hardReset) == nil)
    #expect(transport.board.state != .stubLoader)
  }

  @Test func noResetNoSyncTalksToARunningStub() throws {
    let transport = try VirtualBoardURL.openBoard("sim://esp32")
    let first = try Flasher.connect(transport: transport, options: ConnectOptions(before: .noReset), sleep: { _ in })
    try first.runStub(Self.stub(for: .esp32))
    let again = try Flasher.connect(transport: transport, options: ConnectOptions(before: .noReset), sleep: { _ in })
    #expect(again.isStub)  // SYNC values 0: a stub answers
    let silent = try Flasher.connect(transport: transport, options: ConnectOptions(before: .noResetNoSync, chip: .esp32),
                                     sleep: { _ in })
    #expect(silent.chip == .esp32)
  }
}
