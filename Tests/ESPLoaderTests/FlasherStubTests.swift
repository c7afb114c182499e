import Testing
@testable import ESPLoader

/// The stub upload, stub-mode transfers, reads and baud changes against the scripted fake board.
@Suite struct FlasherStubTests {
  static func connect(_ device: FakeDevice, chip: Chip? = nil) throws -> Flasher { try FlasherTests.connect(device, chip: chip) }
  static func pattern(_ n: Int, seed: UInt32 = 7) -> [UInt8] { FlasherTests.pattern(n, seed: seed) }
  static func md5(_ b: some Sequence<UInt8>) -> String { FlasherTests.md5(b) }
  static func failure<T>(_ what: String, _ body: () throws -> T) -> LoaderError? { FlasherTests.failure(what, body) }
  static func fakeStub() throws -> StubImage { try FlasherTests.fakeStub() }

  @Test func stubUploadWaitsForOHAIAndSwitchesLayouts() throws {
    let device = FakeDevice(chip: .esp8266)
    let flasher = try Self.connect(device)
    let stub = try Self.fakeStub()
    #expect(stub.text == [0, 1, 2, 3, 4, 5, 6, 7])
    try flasher.runStub(stub)
    #expect(flasher.isStub)
    #expect(flasher.statusLength == 2)
    let begins = device.received.filter { $0[1] == 0x05 }
    #expect(begins.map { Array($0[8...]) } == [Command.words([8, 1, 0x1800, 1_074_843_648]), Command.words([3, 1, 0x1800, 1_073_720_000])])
    #expect(device.received.last { $0[1] == 0x06 }.map { Array($0[8...]) } == Command.words([0, 1_074_843_652]))
  }

  @Test func stubWriteIsCompressedWith16KiBBlocksAndEndsWithDeflEnd() throws {
    let device = FakeDevice(chip: .esp8266)
    let flasher = try Self.connect(device)
    try flasher.runStub(try Self.fakeStub())
    let data = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 / 7) }
    let result = try flasher.writeFlash(data, at: 0x30_0000)
    let begin = try #require(device.received.first { $0[1] == 0x10 })
    let stream = try Deflate.compress(data)
    // c09 form: exact size, ceil(comp/0x4000) blocks, 0x4000, offset, encrypt 0.
    #expect(Array(begin[8...]) == Command.words([40_000, UInt32((stream.count + 0x3FFF) / 0x4000), 0x4000, 0x30_0000, 0]))
    #expect(device.count(.flashDeflEnd) == 1)
    #expect(result.verification == .verified(md5: Self.md5(data)))
    #expect(device.count(.spiAttach) == 0)
  }

  @Test func stubReadAcksEachPacketAndChecksTheMD5() throws {
    let device = FakeDevice(chip: .esp32)
    let flasher = try Self.connect(device)
    try flasher.runStub(try Self.fakeStub())
    let data = Self.pattern(10_000)
    device.flash.replaceSubrange(0x1000..<(0x1000 + 10_000), with: data)
    let back = try flasher.readFlash(offset: 0x1000, size: 10_000)
    #expect(back == data)
    // 3 packets → 3 ACK frames of 4 bytes: 4096, 8192, 10000.
    let acks = device.received.filter { $0.count == 4 }
    #expect(acks == [Command.words([4096]), Command.words([8192]), Command.words([10_000])])
    device.md5Override = [UInt8](repeating: 0, count: 16)
    #expect(throws: LoaderError.self) { try flasher.readFlash(offset: 0x1000, size: 100) }
  }

  @Test func esp32RomReadUses64ByteSlowReads() throws {
    let device = FakeDevice(chip: .esp32)
    let flasher = try Self.connect(device)
    let data = Self.pattern(200)
    device.flash.replaceSubrange(0x30_0000..<(0x30_0000 + 200), with: data)
    #expect(try flasher.readFlash(offset: 0x30_0000, size: 200) == data)
    #expect(device.count(.readFlashSlow) == 4)
  }

  @Test func changeBaudOnESP8266RomStaysAndSaysWhy() throws {
    let device = FakeDevice(chip: .esp8266)
    var notes: [String] = []
    let flasher = try Flasher.connect(transport: device, options: ConnectOptions(before: .noReset),
                                      diagnostics: { notes.append($0) }, sleep: { _ in })
    #expect(try flasher.changeBaudRate(460_800) == false)
    #expect(device.baudRate == 115_200)
    #expect(notes.contains { $0.contains("cannot change its baud rate") })
    #expect(device.count(.changeBaudrate) == 0)
  }

  @Test func changeBaudOldIsZeroInRomAndCurrentInStub() throws {
    let device = FakeDevice(chip: .esp32)
    let flasher = try Self.connect(device)
    try flasher.changeBaudRate(921_600)
    #expect(device.received.last { $0[1] == 0x0F }.map { Array($0[8...]) } == Command.words([921_600, 0]))
    try flasher.runStub(try Self.fakeStub())
    try flasher.changeBaudRate(460_800)
    #expect(device.received.last { $0[1] == 0x0F }.map { Array($0[8...]) } == Command.words([460_800, 921_600]))
    #expect(device.baudRate == 460_800)
  }

  @Test func esp32RomBaudIsCorrectedForTheROMsCrystalEstimate() throws {
    // c18's register values (RTCCALICFG1 0x10400, efuse word 4 0x80) give exactly 26 MHz: no correction.
    let device = FakeDevice(chip: .esp32)
    device.registers[0x3FF5_F06C] = 0x1_0400
    device.registers[0x3FF5_A010] = 0x80
    let flasher = try Self.connect(device)
    try flasher.changeBaudRate(921_600)
    #expect(device.received.last { $0[1] == 0x0F }.map { Array($0[8...]) } == Command.words([921_600, 0]))
    // A ROM whose 8 MHz clock drifts estimates 530 × 50 kHz = 26.5 MHz: announce 26.5/26 of the rate.
    let drifting = FakeDevice(chip: .esp32)
    drifting.registers[0x3FF5_F06C] = 530 << 7
    drifting.registers[0x3FF5_A010] = 0x80
    let other = try Self.connect(drifting)
    try other.changeBaudRate(460_800)
    let announced = drifting.received.last { $0[1] == 0x0F }.map { Array($0[8..<12]) } ?? []
    let value = Int(announced.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    #expect(value == 469_661, "announced \(value)")
  }

  @Test func unpluggedMidWriteReportsTheUnwrittenRange() throws {
    let device = FakeDevice(chip: .esp8266)
    let flasher = try Self.connect(device)
    try flasher.runStub(try Self.fakeStub())
    try flasher.prepareFlashAccess(end: 0x30_0000)  // flash id and SPI_SET_PARAMS happen first
    device.unplugAfterFrames = device.received.count + 3  // FLASH_BEGIN and 2 data blocks, then gone
    let error = Self.failure("write to an unplugged board") {
      try flasher.writeFlash(Self.pattern(5 * 0x4000), at: 0x20_0000, compress: false)
    }
    guard case .writeInterrupted(let offset, let size, let upTo, let underlying)? = error else {
      Issue.record("\(String(describing: error))"); return
    }
    #expect(offset == 0x20_0000 && size == 5 * 0x4000)
    // The stub acknowledged blocks 1 and 2 but writes a block only while the next arrives: block 1 is safe.
    #expect(upTo == 0x20_4000)
    guard case .transport(.disconnected, _) = underlying else { Issue.record("\(underlying)"); return }
    #expect(error?.description.contains("0x204000..0x213FFF") == true, "\(String(describing: error))")
  }

  @Test func aBaudTheLinkCannotCarryIsNamedAtOnce() throws {
    let device = FakeDevice(chip: .esp32)
    let flasher = try Self.connect(device)
    // The board accepts CHANGE_BAUDRATE, then nothing gets through at the new rate.
    device.hook = { d, op, _, _ in d.baudRate != 115_200 && op != 0x0F }
    let error = Self.failure("a dead link after the switch") { try flasher.changeBaudRate(2_000_000) }
    guard case .linkFailedAfterBaudChange(let baud, let previous, _)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(baud == 2_000_000 && previous == 115_200)
  }
}
