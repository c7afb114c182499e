import Crypto
import Testing
@testable import ESPLoader
@testable import ESPTransport

/// The flasher against a scripted fake board: sync, detection, the ROM and stub write paths, verification
/// and the messages of failures.
@Suite struct FlasherTests {
  static func connect(_ device: FakeDevice, chip: Chip? = nil) throws -> Flasher {
    try Flasher.connect(transport: device, options: ConnectOptions(before: .noReset, chip: chip), sleep: { _ in })
  }

  static func pattern(_ n: Int, seed: UInt32 = 7) -> [UInt8] {
    var x = seed
    return (0..<n).map { _ in x = x &* 1_103_515_245 &+ 12345; return UInt8(truncatingIfNeeded: x >> 16) }
  }

  /// The error `body` throws, or nil (recording an issue) when it succeeds.
  static func failure<T>(_ what: String, _ body: () throws -> T) -> LoaderError? {
    do {
      _ = try body()
      Issue.record("\(what) succeeded")
      return nil
    } catch {
      if let loader = error as? LoaderError { return loader }
      Issue.record("\(what) threw \(error), not a LoaderError")
      return nil
    }
  }

  static func md5(_ b: some Sequence<UInt8>) -> String {
    Insecure.MD5.hash(data: Array(b)).map { hex($0).lowercased() }.joined()
  }

  @Test func syncSkipsTheSevenExtraRepliesAndDetectsESP8266() throws {
    let device = FakeDevice(chip: .esp8266)
    let flasher = try Self.connect(device)
    #expect(flasher.chip == .esp8266)
    #expect(!flasher.isStub)
    #expect(flasher.statusLength == 2)
    // The extra SYNC replies did not confuse the next command: READ_REG answered with the magic.
    #expect(try flasher.readRegister(0x4000_1000) == 0xFFF0_C101)
    #expect(try flasher.readMAC() == [0x24, 0x0A, 0xC4, 0xCE, 0x2B, 0xC1])
    #expect(try flasher.readESP8266ChipID() == 0x00CE_2BC1)
    #expect(try flasher.readCrystalMHz(atBaud: 115_200) == 26)
    #expect(device.sentCommands().prefix(3) == [0x08, 0x14, 0x0A])
  }

  @Test func syncFirstReplyLateThenRetried() throws {
    let device = FakeDevice(chip: .esp32)
    device.hook = { _, op, _, seen in op == 0x08 && seen < 3 }  // swallow the first two SYNCs
    let flasher = try Self.connect(device)
    #expect(flasher.chip == .esp32)
    #expect(device.count(.sync) == 3)
  }

  @Test func stubAlreadyRunningIsDetectedBySyncValueZero() throws {
    let device = FakeDevice(chip: .esp32)
    device.mode = .stub
    let flasher = try Self.connect(device)
    #expect(flasher.isStub)
  }

  @Test func forcedChipMismatchIsAnError() throws {
    let device = FakeDevice(chip: .esp8266)
    #expect(throws: LoaderError.self) { try Self.connect(device, chip: .esp32) }
    do { _ = try Self.connect(FakeDevice(chip: .esp8266), chip: .esp32) } catch {
      #expect("\(error)".contains("ESP8266"))
    }
  }

  @Test func connectFailureListsAttempts() throws {
    let device = FakeDevice(chip: .esp8266)
    device.hook = { _, _, _, _ in true }  // a silent board
    let error = Self.failure("connect") {
      try Flasher.connect(transport: device, options: ConnectOptions(before: .noReset, attempts: 2), sleep: { _ in })
    }
    guard case .connectFailed(_, let tried, _)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(tried.count == 2)
    #expect(device.count(.sync) == 10)
  }

  @Test func esp8266RomWriteUsesEraseWorkaroundAndKiBBlocksAndIsNotVerified() throws {
    let device = FakeDevice(chip: .esp8266)
    let flasher = try Self.connect(device)
    let data = Self.pattern(5000)
    var progress: [Int] = []
    let result = try flasher.writeFlash(data, at: 0x30_0000) { done, _ in progress.append(done) }
    // 5000 → padded to 5000 (multiple of 4); ceil(5000/1024) = 5 blocks; N=2 sectors < 2*16 → erase (2+1)/2 = 1 sector.
    let begin = try #require(device.received.first { $0[1] == 0x02 })
    #expect(Array(begin[8...]) == Command.words([0x1000, 5, 0x400, 0x30_0000]))
    #expect(device.count(.flashData) == 5)
    #expect(device.count(.flashEnd) == 0)  // FLASH_END would leave the ROM loader
    #expect(device.count(.spiFlashMD5) == 0)
    #expect(device.count(.flashDeflBegin) == 0)
    #expect(progress == [1024, 2048, 3072, 4096, 5000])
    #expect(Array(device.flash[0x30_0000..<(0x30_0000 + 5000)]) == data)
    #expect(device.flash[0x30_0000 + 5000] == 0xFF)  // last block padded with 0xFF
    guard case .notVerified(let reason) = result.verification else {
      Issue.record("ESP8266 ROM write claimed verification"); return
    }
    #expect(reason.contains("ESP8266 ROM"))
  }

  @Test func esp8266RomWriteOf1MiBSendsC03sPayloadPhase() throws {
    let device = FakeDevice(chip: .esp8266)
    let flasher = try Self.connect(device)
    _ = try flasher.writeFlash([UInt8](repeating: 0x5A, count: 0x10_0000), at: 0x30_0000)
    let begin = try #require(device.received.first { $0[1] == 0x02 })
    // c03: FLASH_BEGIN erase_size=0xf0000 num_blocks=1024 block_size=0x400 offset=0x300000
    #expect(begin == Command.flashBegin(eraseSize: 0xF_0000, blocks: 1024, blockSize: 0x400, offset: 0x30_0000, encrypt: nil).packet)
    let data = device.received.filter { $0[1] == 0x03 }
    #expect(data.count == 1024)
    #expect(data.allSatisfy { $0.count == 8 + 1040 })
    #expect(data.enumerated().allSatisfy { i, f in Array(f[12..<16]) == Command.words([UInt32(i)]) })
  }

  @Test func esp32RomWriteIsCompressedAndVerifiedByHexMD5() throws {
    let device = FakeDevice(chip: .esp32)
    let flasher = try Self.connect(device)
    let data = Self.pattern(3000) + [UInt8](repeating: 0xFF, count: 60_000)
    let result = try flasher.writeFlash(data, at: 0x1_0000)
    #expect(device.count(.spiAttach) == 1)
    #expect(device.count(.spiSetParams) == 1)
    let begin = try #require(device.received.first { $0[1] == 0x10 })
    let stream = try Deflate.compress(data)
    #expect(stream.prefix(2) == [0x78, 0xDA])
    let blocks = (stream.count + 0x3FF) / 0x400
    // c04 form: 16 bytes, size rounded up to 0x400, 1 KiB blocks.
    #expect(Array(begin[8...]) == Command.words([UInt32((data.count + 0x3FF) / 0x400 * 0x400), UInt32(blocks), 0x400, 0x1_0000]))
    #expect(device.count(.flashDeflData) == blocks)
    #expect(device.count(.flashDeflEnd) == 0)
    #expect(result.verification == .verified(md5: Self.md5(data)))
    #expect(Array(device.flash[0x1_0000..<(0x1_0000 + data.count)]) == data)
  }

  @Test func md5MismatchIsAVerifyError() throws {
    let device = FakeDevice(chip: .esp32)
    device.md5Override = [UInt8](repeating: 0xAB, count: 16)
    let flasher = try Self.connect(device)
    let error = Self.failure("write with a wrong MD5") { try flasher.writeFlash(Self.pattern(4096), at: 0x2000, compress: false) }
    guard case .verifyFailed(let offset, let size, _, let actual)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(offset == 0x2000 && size == 4096)
    #expect(actual == String(repeating: "ab", count: 16))
  }

  @Test func timeoutNamesTheBlockAndTheUnwrittenRange() throws {
    let device = FakeDevice(chip: .esp8266)
    device.hook = { _, op, _, seen in op == 0x03 && seen == 3 }  // block 3 never answered
    let flasher = try Self.connect(device)
    flasher.recovery = .none  // the first fault's report; recovering is RecoveryFaultTests' subject
    let start = Monotonic.now()
    let error = Self.failure("write without a reply") { try flasher.writeFlash(Self.pattern(5 * 1024), at: 0x30_9000) }
    let text = error?.description ?? ""
    #expect(text.contains("no reply to FLASH_DATA block 3 of 5 at 0x309800 after 3 s"), "\(text)")
    #expect(text.contains("0x309800..0x30A3FF"), "\(text)")
    guard case .writeInterrupted(_, _, let upTo, _)? = error else { Issue.record(Comment(rawValue: text)); return }
    #expect(upTo == 0x30_9800)
    #expect(Monotonic.now() - start < 6)
  }

  @Test func deviceRejectionCarriesTheRomCode() throws {
    let device = FakeDevice(chip: .esp32)
    device.hook = { d, op, _, _ in
      guard op == 0x03 else { return false }
      d.reply(op, error: 0x08); return true
    }
    let flasher = try Self.connect(device)
    let error = Self.failure("rejected write") { try flasher.writeFlash(Self.pattern(1024), at: 0, compress: false) }
    #expect(error?.description.contains("FLASH_DATA block 1 of 1 at 0x0 failed: ROM error 0x108") == true, "\(String(describing: error))")
  }

  static func fakeStub() throws -> StubImage {
    let json = #"{"text": "AAECAwQFBgc=", "text_start": 1074843648, "entry": 1074843652, "data": "CAkK", "data_start": 1073720000}"#
    return try StubImage(json: Array(json.utf8), source: "fake.json")
  }

  @Test func esp8266RomCannotReadOrEraseAndSaysWhy() throws {
    let flasher = try Self.connect(FakeDevice(chip: .esp8266))
    let error = Self.failure("read on the ESP8266 ROM") { try flasher.readFlash(offset: 0, size: 16) }
    #expect(error?.description.contains("ESP8266 ROM") == true)
    #expect(throws: LoaderError.self) { try flasher.eraseRegion(offset: 0, size: 0x1000) }
    #expect(throws: LoaderError.self) { try flasher.eraseFlash() }
  }

  @Test func eraseRegionOnESP32RomIsAFlashBeginWithoutData() throws {
    let device = FakeDevice(chip: .esp32)
    let flasher = try Self.connect(device)
    try flasher.eraseRegion(offset: 0x3F_0000, size: 0x1_0000)
    // c15: SPI_SET_PARAMS then FLASH_BEGIN erase_size=0x10000 num_blocks=64 block_size=0x400 offset=0x3f0000
    let begin = try #require(device.received.first { $0[1] == 0x02 })
    #expect(Array(begin[8...]) == Command.words([0x1_0000, 64, 0x400, 0x3F_0000]))
    #expect(throws: LoaderError.self) { try flasher.eraseRegion(offset: 0x100, size: 0x1000) }
  }

  @Test func flashIDGoesThroughTheSPIRegistersLikeC02() throws {
    let device = FakeDevice(chip: .esp8266)
    device.jedec = 0x1640EF
    let flasher = try Self.connect(device)
    #expect(try flasher.readFlashID() == 0x1640EF)
    #expect(try flasher.detectFlashSize() == 4 << 20)
    let writes = device.received.filter { $0[1] == 0x09 }.map { Array($0[8..<16]) }
    #expect(writes.prefix(5) == [Command.words([0x6000_0220, 0x1700]), Command.words([0x6000_021C, 0x9000_0000]),
                                 Command.words([0x6000_0224, 0x7000_009F]), Command.words([0x6000_0240, 0]),
                                 Command.words([0x6000_0200, 0x4_0000])])
    #expect(device.received.contains { $0[1] == 0x02 })  // FLASH_BEGIN(0,0) attach first
  }

  @Test(arguments: [(UInt32(0x1640EF), 4 << 20), (0x1540C8, 2 << 20), (0x3940C2, 32 << 20), (0x20_0000, 64 << 20),
                    (0x00_081F, 8 << 20), (0x99_9999, nil)])
  func jedecSizes(id: UInt32, size: Int?) {
    #expect(Flasher.flashSize(fromJEDEC: id) == size)
  }

}
