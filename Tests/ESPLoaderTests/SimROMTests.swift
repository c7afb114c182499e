import DeviceSimulator
import ESPLoader
import Testing

@Suite("Virtual board: ROM loader")
struct SimROMTests {
  @Test("SYNC gets 8 replies with a non-zero value; 2 status bytes on ESP8266, 4 on ESP32",
        arguments: [(Chip.esp8266, 2), (Chip.esp32, 4)])
  func syncReplies(chip: Chip, statusLength: Int) {
    let harness = SimHarness(chip)
    let replies = harness.sync()
    #expect(replies.count == 8)
    for reply in replies {
      #expect(reply.opcode == 0x08)
      #expect(reply.value != 0)
      #expect(reply.data == [UInt8](repeating: 0, count: statusLength))
    }
  }

  @Test("ESP8266 ROM rejects every opcode above 0x0A with status 1, error 0x05, and no effect",
        arguments: [0x0B, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0xD0, 0xD1, 0xD2] as [UInt8])
  func esp8266RejectsNewerOpcodes(opcode: UInt8) {
    let zeros = NORFlash(contents: [UInt8](repeating: 0, count: 1 << 20))
    let harness = SimHarness(.esp8266, flashSize: 1 << 20, flash: zeros)
    let data: [UInt8] = opcode == 0xD1 ? SimWire.u32(0, 0x1000) : (opcode == 0xD0 ? [] : SimWire.u32(0, 0x1000, 0, 0))
    let replies = harness.command(opcode, data)
    #expect(replies.count == 1)
    #expect(replies.first?.opcode == opcode)
    #expect(replies.first?.data == [1, 0x05])
    #expect(harness.board.flash.bytes.allSatisfy { $0 == 0 })
    #expect(harness.board.state == .romLoader)
  }

  @Test("GET_SECURITY_INFO: prompt error on ESP8266/ESP32 ROMs, chip id on ESP32-S3")
  func securityInfo() {
    #expect(SimHarness(.esp8266).command(0x14).map(\.data) == [[1, 0x05]])
    #expect(SimHarness(.esp32).command(0x14).map(\.data) == [[1, 0x05, 0, 0]])
    let s3 = SimHarness(.esp32s3).command(0x14)
    #expect(s3.count == 1)
    #expect(s3.first?.data.count == 24)
    if let data = s3.first?.data { #expect(SimWire.readU32(data, 12) == 9) }
  }

  @Test("the ESP8266 ROM erase bug erases E + min(E, head) sectors (published measurements)",
        arguments: [(UInt32(0), UInt32(1), 2), (0, 2, 4), (0, 16, 32), (0, 18, 34), (0xE000, 3, 5)])
  func eraseBugRaw(offset: UInt32, askedSectors: UInt32, expectedErased: Int) {
    let harness = SimHarness(.esp8266, flashSize: 1 << 20,
                             flash: NORFlash(contents: [UInt8](repeating: 0, count: 1 << 20)))
    let replies = harness.command(0x02, SimWire.u32(askedSectors * 4096, 0, 0x400, offset))
    #expect(replies.map(\.data) == [[0, 0]])
    #expect(erasedSectors(harness.board.flash) == Array(Int(offset / 4096)..<(Int(offset / 4096) + expectedErased)))
  }

  @Test("esptool's erase-size workaround gives the intended erase on the ESP8266 ROM (§5.3 table)",
        arguments: [(UInt32(0), UInt32(0x1000), 2), (0, 0x3000, 4), (0, 0x10000, 16), (0, 0x11000, 18),
                    (0xE000, 0x3000, 4), (0x300000, 0xFA000, 250), (0x300000, 0x100000, 256)])
  func eraseWorkaround(offset: UInt32, size: UInt32, expectedErased: Int) {
    let harness = SimHarness(.esp8266, flashSize: 4 << 20,
                             flash: NORFlash(contents: [UInt8](repeating: 0, count: 4 << 20)))
    let eraseSize = esptoolESP8266EraseSize(offset: offset, size: size)
    let blocks = (size + 0x3FF) / 0x400
    #expect(harness.command(0x02, SimWire.u32(eraseSize, blocks, 0x400, offset)).map(\.data) == [[0, 0]])
    let erased = erasedSectors(harness.board.flash)
    #expect(erased.first == Int(offset / 4096))
    #expect(erased.count == expectedErased)
    // Everything the image needs is erased.
    #expect(erased.count >= Int((size + 4095) / 4096))
  }

  @Test("the erase bug's extra sectors stop at the end of the ESP8266 ROM geometry")
  func eraseBugAtEndOfFlash() {
    let harness = SimHarness(.esp8266, flashSize: 4 << 20,
                             flash: NORFlash(contents: [UInt8](repeating: 0, count: 4 << 20)))
    #expect(harness.command(0x02, SimWire.u32(0x1000, 1, 0x400, 0x3FF000)).map(\.data) == [[0, 0]])
    #expect(erasedSectors(harness.board.flash) == [0x3FF])
    #expect(harness.command(0x02, SimWire.u32(0x2000, 2, 0x400, 0x3FF000)).map(\.data) == [[1, 0x09]])
  }

  @Test("NOR semantics: a ROM write over unerased data ANDs bits and fails the readback with 0x08")
  func norAndOnRewrite() {
    let harness = SimHarness(.esp8266, flashSize: 1 << 20)
    #expect(harness.command(0x02, SimWire.u32(0x1000, 1, 0x400, 0)).map(\.data) == [[0, 0]])
    let first: [UInt8] = (0..<0x400).map { (index: Int) -> UInt8 in UInt8(truncatingIfNeeded: index * 37 + 11) }
    #expect(harness.exchange(SimWire.dataBlock(0x03, first, seq: 0)).compactMap(SimReply.init).map(\.data) == [[0, 0]])
    // A second session without erasing (erase_size 0): the new bytes AND into the old ones.
    #expect(harness.command(0x02, SimWire.u32(0, 1, 0x400, 0)).map(\.data) == [[0, 0]])
    let second: [UInt8] = (0..<0x400).map { (index: Int) -> UInt8 in UInt8(truncatingIfNeeded: index * 91 + 3) }
    #expect(harness.exchange(SimWire.dataBlock(0x03, second, seq: 0)).compactMap(SimReply.init).map(\.data) == [[1, 0x08]])
    let anded: [UInt8] = zip(first, second).map { $0 & $1 }
    #expect(harness.board.flash.read(at: 0, count: 0x400) == anded)
  }

  @Test("ROM data checks: checksum 0x07, sequence, block size, data without BEGIN, too many blocks")
  func romDataChecks() {
    let harness = SimHarness(.esp8266, flashSize: 1 << 20)
    let payload = [UInt8](repeating: 0xA5, count: 0x400)
    #expect(harness.exchange(SimWire.dataBlock(0x03, payload, seq: 0)).compactMap(SimReply.init).first?.data == [1, 0x01])
    _ = harness.command(0x02, SimWire.u32(0x1000, 1, 0x400, 0))
    let badChecksum = SimWire.checksum(payload) ^ 0x5A
    #expect(harness.exchange(SimWire.dataBlock(0x03, payload, seq: 0, checksum: badChecksum))
      .compactMap(SimReply.init).first?.data == [1, 0x07])
    #expect(harness.exchange(SimWire.dataBlock(0x03, payload, seq: 1)).compactMap(SimReply.init).first?.data == [1, 0x01])
    #expect(harness.exchange(SimWire.dataBlock(0x03, payload + [0], seq: 0)).compactMap(SimReply.init).first?.data == [1, 0x01])
    #expect(harness.exchange(SimWire.dataBlock(0x03, payload, seq: 0)).compactMap(SimReply.init).first?.data == [0, 0])
    #expect(harness.exchange(SimWire.dataBlock(0x03, payload, seq: 1)).compactMap(SimReply.init).first?.data == [1, 0x01])
    #expect(harness.board.flash.read(at: 0, count: 0x400) == payload)
  }

  @Test("ESP32 ROM: flash needs SPI_ATTACH; 2 MB geometry until SPI_SET_PARAMS; MD5 as 32 hex + 4 status")
  func esp32AttachGeometryMD5() {
    let harness = SimHarness(.esp32, flashSize: 4 << 20)
    let md5Request = SimWire.u32(0x300000, 0x1000, 0, 0)
    #expect(harness.command(0x13, md5Request).first?.data == [1, 0x09, 0, 0])
    #expect(harness.command(0x0D, SimWire.u32(0, 0)).first?.data == [0, 0, 0, 0])
    #expect(harness.command(0x13, md5Request).first?.data == [1, 0x09, 0, 0])
    #expect(harness.command(0x0B, SimWire.u32(0, 4 << 20, 0x10000, 0x1000, 0x100, 0xFFFF)).first?.data == [0, 0, 0, 0])
    let reply = harness.command(0x13, md5Request)
    #expect(reply.count == 1)
    #expect(reply.first?.data.count == 36)
    // MD5 of 4096 × 0xFF, lowercase hex.
    #expect(reply.first.map { String(decoding: $0.data.prefix(32), as: UTF8.self) } == "6ae59e64850377ee5470c854761551ea")
    #expect(reply.first?.status(4) == [0, 0, 0, 0])
  }

  @Test("READ_FLASH_SLOW always returns 64 data bytes; more than 64 is error 0x0A")
  func readFlashSlow() {
    var contents = [UInt8](repeating: 0xFF, count: 1 << 20)
    for index in 0..<256 { contents[0x1000 + index] = UInt8(index) }
    let harness = SimHarness(.esp32, flashSize: 1 << 20, flash: NORFlash(contents: contents))
    _ = harness.command(0x0D, SimWire.u32(0, 0))
    let reply = harness.command(0x0E, SimWire.u32(0x1000, 16))
    #expect(reply.first?.data.count == 64 + 4)
    #expect(reply.first.map { Array($0.data.prefix(16)) } == Array(0..<16))
    #expect(harness.command(0x0E, SimWire.u32(0x1000, 65)).first?.data == [1, 0x0A, 0, 0])
  }

  @Test("ESP32 ROM compressed write: DEFL_BEGIN erases, DEFL_DATA inflates, MD5 matches")
  func esp32CompressedWrite() throws {
    let harness = SimHarness(.esp32, flashSize: 4 << 20)
    _ = harness.command(0x0D, SimWire.u32(0, 0))
    let image: [UInt8] = (0..<5000).map { (index: Int) -> UInt8 in UInt8(truncatingIfNeeded: index * 7 / 3) }
    let compressed = try #require(SimZlib.compress(image))
    let blocks = (compressed.count + 0x3FF) / 0x400
    let writeSize = UInt32((image.count + 0x3FF) / 0x400 * 0x400)
    let begin = harness.command(0x10, SimWire.u32(writeSize, UInt32(blocks), 0x400, 0x10000))
    #expect(begin.first?.data == [0, 0, 0, 0])
    for seq in 0..<blocks {
      let chunk = Array(compressed[(seq * 0x400)..<min(compressed.count, (seq + 1) * 0x400)])
      let replies = harness.exchange(SimWire.dataBlock(0x11, chunk, seq: UInt32(seq))).compactMap(SimReply.init)
      #expect(replies.first?.data == [0, 0, 0, 0])
    }
    #expect(harness.board.flash.read(at: 0x10000, count: image.count) == image)
    #expect(harness.board.state == .romLoader)
  }

  @Test("register file: magic, ESP8266 MAC words, UART divisor for 26 MHz, RDID through the SPI registers")
  func registers() {
    let harness = SimHarness(.esp8266, flashSize: 4 << 20)
    _ = harness.sync()
    #expect(harness.command(0x0A, SimWire.u32(0x4000_1000)).first?.value == 0xFFF0_C101)
    let mac3 = harness.command(0x0A, SimWire.u32(0x3FF0_005C)).first?.value ?? 0
    #expect(mac3 == 0x0024_0AC4)
    let divisor: UInt32 = harness.command(0x0A, SimWire.u32(0x6000_0014)).first?.value ?? 0
    let crystalMHz: Double = Double(divisor) * 115_200.0 / 2_000_000.0
    #expect(abs(crystalMHz - 26.0) < 1.0)
    // esptool's run_spiflash_command(0x9F, read_bits=24) for ESP8266 (capture c02).
    let writes: [(UInt32, UInt32)] = [(0x6000_0220, 0x1700), (0x6000_021C, 0x9000_0000), (0x6000_0224, 0x7000_009F),
                                      (0x6000_0240, 0), (0x6000_0200, 0x0004_0000)]
    for (address, value) in writes {
      #expect(harness.command(0x09, SimWire.u32(address, value, 0xFFFF_FFFF, 0)).first?.data == [0, 0])
    }
    #expect(harness.command(0x0A, SimWire.u32(0x6000_0200)).first?.value == 0)
    #expect(harness.command(0x0A, SimWire.u32(0x6000_0240)).first?.value == 0x1640EF)
  }

  @Test("ROM FLASH_END leaves the loader: no reply to SYNC afterwards")
  func flashEndLeaves() {
    let harness = SimHarness(.esp8266)
    _ = harness.command(0x02, SimWire.u32(0, 0, 0x400, 0))
    #expect(harness.command(0x04, SimWire.u32(1)).first?.data == [0, 0])
    #expect(harness.board.state == .userCode)
    #expect(harness.sync().isEmpty)
  }
}

/// Indices of the sectors that read all 0xFF.
func erasedSectors(_ flash: NORFlash) -> [Int] {
  (0..<(flash.size / NORFlash.sectorSize)).filter { flash.sectorIsBlank($0) }
}

@Suite("Virtual board: ROM baud, boot log and geometry")
struct SimROMLinkTests {
  @Test("the boot log arrives as noise before the first SYNC reply on the in-process transport")
  func bootLogBeforeSync() throws {
    let transport = try VirtualBoardURL.openBoard("sim://esp8266")
    let harness = SimTransportHarness(transport)
    let replies = harness.command(0x08, SimWire.syncData)
    #expect(replies.count == 8)
    #expect(!harness.noise.isEmpty)
    #expect(transport.board.meter.noiseBytes > 0)
  }

  @Test("ESP32 ROM CHANGE_BAUDRATE(new, 0): reply at the old rate, then the new one")
  func romBaudChange() throws {
    let transport = try VirtualBoardURL.openBoard("sim://esp32?bootlog=0")
    let harness = SimTransportHarness(transport)
    #expect(harness.command(0x08, SimWire.syncData).count == 8)
    #expect(harness.command(0x0F, SimWire.u32(460_800, 0)).first?.data == [0, 0, 0, 0])
    try transport.setBaudRate(460_800)
    #expect(harness.command(0x0A, SimWire.u32(0x4000_1000)).first?.value == 0x00F0_1D83)
    // esptool's crystal estimate from UART_CLKDIV at the new rate still gives 40 MHz.
    let divisor = harness.command(0x0A, SimWire.u32(0x3FF4_0014)).first?.value ?? 0
    #expect(Int(divisor) * 460_800 / 1_000_000 == 40 || Int(divisor) * 460_800 / 1_000_000 == 39)
  }

  @Test("ESP32 ROM: writes above 2 MB fail with 0x09 until SPI_SET_PARAMS announces the size")
  func esp32Geometry() {
    let harness = SimHarness(.esp32, flashSize: 4 << 20)
    _ = harness.command(0x0D, SimWire.u32(0, 0))
    #expect(harness.command(0x02, SimWire.u32(0x1000, 4, 0x400, 0x300000)).first?.data == [1, 0x09, 0, 0])
    _ = harness.command(0x0B, SimWire.u32(0, 4 << 20, 0x10000, 0x1000, 0x100, 0xFFFF))
    #expect(harness.command(0x02, SimWire.u32(0x1000, 4, 0x400, 0x300000)).first?.data == [0, 0, 0, 0])
  }

  @Test("ESP32 ROM FLASH_BEGIN takes 16 bytes, ESP32-S3 ROM 20")
  func flashBeginLengths() {
    let esp32 = SimHarness(.esp32)
    _ = esp32.command(0x0D, SimWire.u32(0, 0))
    #expect(esp32.command(0x02, SimWire.u32(0x1000, 4, 0x400, 0x1000, 0)).first?.data == [1, 0x05, 0, 0])
    let s3 = SimHarness(.esp32s3)
    _ = s3.command(0x0D, SimWire.u32(0, 0))
    #expect(s3.command(0x02, SimWire.u32(0x1000, 4, 0x400, 0x1000, 0)).first?.data == [0, 0, 0, 0])
  }
}
