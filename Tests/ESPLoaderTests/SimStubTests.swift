import DeviceSimulator
import ESPLoader
import Testing
import TestSupport

@Suite("Virtual board: flasher stub mode")
struct SimStubTests {
  @Test("MEM_END replies in ROM format, then the uploaded stub greets with OHAI and answers SYNC with 0",
        arguments: [(Chip.esp8266, 2), (Chip.esp32, 4)])
  func stubStartsAfterMemEnd(chip: Chip, romStatusLength: Int) throws {
    let harness = SimHarness(chip)
    let address: UInt32 = chip == .esp8266 ? 0x4010_C500 : 0x400A_8000
    let frames = harness.upload(code: [UInt8](repeating: 0x11, count: 0x2000), at: address, entry: address + 4)
    #expect(frames.count == 2)
    let memEnd = try #require(frames.first.flatMap(SimReply.init))
    #expect(memEnd.opcode == 0x06)
    #expect(memEnd.data == [UInt8](repeating: 0, count: romStatusLength))
    #expect(frames.last == Array("OHAI".utf8))
    #expect(harness.board.state == .stubLoader)
    let sync = harness.sync()
    #expect(sync.count == 8)
    #expect(sync.allSatisfy { $0.value == 0 && $0.data == [0, 0] })
    #expect(harness.command(0x0A, SimWire.u32(0x4000_1000)).first?.data == [0, 0])
  }

  @Test("jumping where nothing was loaded crashes the chip: panic text, no more replies")
  func jumpToNothingCrashes() {
    let harness = SimHarness(.esp32)
    _ = harness.upload(code: [1, 2, 3, 4], at: 0x400A_8000, entry: 0x400B_0000)
    #expect(harness.board.state == .crashed)
    #expect(String(decoding: harness.noise, as: UTF8.self).contains("Guru Meditation"))
    #expect(harness.sync().isEmpty)
  }

  @Test("stub compressed write (16 KiB blocks), DEFL_END(1) stays, binary MD5", arguments: [Chip.esp8266, .esp32])
  func compressedWriteAndMD5(chip: Chip) throws {
    var contents = [UInt8](repeating: 0x00, count: 4 << 20)  // dirty flash: the stub must erase first
    contents[0x2FFFFF] = 0x12
    let harness = SimHarness(chip, flash: NORFlash(contents: contents))
    harness.enterStub()
    var generator = SplitMix64(seed: 77)
    let image: [UInt8] = (0..<100_000).map { index -> UInt8 in index % 3 == 0 ? generator.byte() : 0xFF }
    let compressed = try #require(SimZlib.compress(image))
    let blocks = (compressed.count + 0x3FFF) / 0x4000
    #expect(harness.command(0x10, SimWire.u32(UInt32(image.count), UInt32(blocks), 0x4000, 0x300000, 0))
      .first?.data == [0, 0])
    for seq in 0..<blocks {
      let chunk = Array(compressed[(seq * 0x4000)..<min(compressed.count, (seq + 1) * 0x4000)])
      let replies = harness.exchange(SimWire.dataBlock(0x11, chunk, seq: UInt32(seq))).compactMap(SimReply.init)
      #expect(replies.first?.data == [0, 0])
    }
    #expect(harness.command(0x12, SimWire.u32(1)).first?.data == [0, 0])
    #expect(harness.board.state == .stubLoader)
    #expect(harness.board.flash.read(at: 0x300000, count: image.count) == image)
    #expect(harness.board.flash.read(at: 0x2FFFFF, count: 1) == [0x12])  // outside the write: untouched
    let md5 = harness.command(0x13, SimWire.u32(0x300000, UInt32(image.count), 0, 0))
    #expect(md5.first?.data.count == 18)
    #expect(md5.first.map { Array($0.data.prefix(16)) } == SimMD5.digest(image))
  }

  @Test("stub READ_FLASH: one packet per ACK, then the MD5 of all data")
  func readFlashWithAcks() throws {
    var contents = [UInt8](repeating: 0xFF, count: 1 << 20)
    for index in 0..<0x2800 { contents[0x4000 + index] = UInt8(truncatingIfNeeded: index &* 13) }
    let harness = SimHarness(.esp8266, flashSize: 1 << 20, flash: NORFlash(contents: contents))
    harness.enterStub()
    let frames = harness.exchange(SimWire.request(0xD2, SimWire.u32(0x4000, 0x2800, 0x1000, 64)))
    #expect(frames.count == 2)
    #expect(frames.first.flatMap(SimReply.init)?.data == [0, 0])
    var received = frames.count > 1 ? frames[1] : []
    #expect(received.count == 0x1000)
    // Without an ACK nothing more comes.
    #expect(harness.exchange([]).isEmpty)
    var packets = 1
    var digest: [UInt8] = []
    while digest.isEmpty {
      let next = harness.exchange(SimWire.slip(SimWire.u32(UInt32(received.count))))
      try #require(next.count == 1)
      if received.count == 0x2800 { digest = next[0] } else { received += next[0]; packets += 1 }
    }
    #expect(packets == 3)
    #expect(received == Array(contents[0x4000..<0x6800]))
    #expect(digest == SimMD5.digest(received))
  }

  @Test("stub errors put the code first: C1 checksum, C6 no BEGIN, C2 block size, C9 too much, C8 not enough")
  func stubErrorCodes() {
    let harness = SimHarness(.esp8266, flashSize: 1 << 20)
    harness.enterStub()
    let block = [UInt8](repeating: 0x42, count: 0x4000)
    func data(_ payload: [UInt8], seq: UInt32, checksum: UInt32? = nil) -> [UInt8] {
      harness.exchange(SimWire.dataBlock(0x03, payload, seq: seq, checksum: checksum)).compactMap(SimReply.init).first?.data ?? []
    }
    #expect(data(block, seq: 0) == [0xC6, 0])
    #expect(harness.command(0x02, SimWire.u32(0x6000, 2, 0x8000, 0)).first?.data == [0xC2, 0])
    #expect(harness.command(0x02, SimWire.u32(0x6000, 2, 0x4000, 0)).first?.data == [0, 0])
    #expect(data(block, seq: 0, checksum: SimWire.checksum(block) ^ 1) == [0xC1, 0])
    #expect(data(block, seq: 1) == [0xC0, 0])
    #expect(data(block, seq: 0) == [0, 0])
    #expect(harness.command(0x04, SimWire.u32(1)).first?.data == [0xC8, 0])
    #expect(harness.command(0x02, SimWire.u32(0x4000, 1, 0x4000, 0x10000)).first?.data == [0, 0])
    #expect(data(block, seq: 0) == [0, 0])
    #expect(data(block, seq: 1) == [0xC9, 0])
    #expect(harness.command(0x04, SimWire.u32(1)).first?.data == [0, 0])
    #expect(harness.command(0x04, SimWire.u32(1)).first?.data == [0xC6, 0])
    #expect(harness.command(0x0E, SimWire.u32(0, 64)).first?.data == [0xFF, 0])
  }

  @Test("FLASH_BEGIN(0,0) + FLASH_END(0) from the stub (esptool --after no-reset) reboots into the ROM loader",
        arguments: [Chip.esp8266, .esp32])
  func stubSoftResetReturnsToROM(chip: Chip) {
    let harness = SimHarness(chip, bootLog: true)
    harness.enterStub()
    #expect(harness.command(0x02, SimWire.u32(0, 0, 0x4000, 0, 0)).first?.data == [0, 0])
    #expect(harness.command(0x04, SimWire.u32(0)).first?.data == [0, 0])
    #expect(harness.board.state == .romLoader)
    let sync = harness.sync()
    #expect(sync.count == 8)
    #expect(sync.allSatisfy { $0.value != 0 && $0.data.count == chip.romStatusLength })
    let banner = String(decoding: harness.noise, as: UTF8.self)
    #expect(banner.contains(chip == .esp8266 ? "boot mode:(1,7)" : "SW_CPU_RESET"))
  }

  @Test("stub ERASE_REGION erases only whole aligned sectors; ERASE_FLASH erases everything")
  func eraseCommands() {
    let harness = SimHarness(.esp32, flashSize: 1 << 20, flash: NORFlash(contents: [UInt8](repeating: 0, count: 1 << 20)))
    harness.enterStub()
    #expect(harness.command(0xD1, SimWire.u32(0x1000, 0x800)).first?.data == [0x32, 0])
    #expect(harness.command(0xD1, SimWire.u32(0x10000, 0x3000)).first?.data == [0, 0])
    #expect(erasedSectors(harness.board.flash) == [16, 17, 18])
    #expect(harness.command(0xD0).first?.data == [0, 0])
    #expect(erasedSectors(harness.board.flash).count == 256)
  }

  @Test("stub CHANGE_BAUDRATE replies at the old rate, then the UART runs at the new one")
  func stubBaudChange() {
    let board = VirtualBoard(configuration: BoardConfiguration(chip: .esp8266, bootLog: false))
    let transport = VirtualBoardTransport(board: board)
    let harness = SimTransportHarness(transport)
    #expect(harness.command(0x08, SimWire.syncData).count == 8)
    harness.enterStub()
    let reply = harness.command(0x0F, SimWire.u32(921_600, 115_200))
    #expect(reply.first?.data == [0, 0])
    #expect(board.uartBaud == 921_600)
    // Still at 115200 on the host: the chip hears garbage and stays silent.
    #expect(harness.command(0x08, SimWire.syncData).isEmpty)
    try? transport.setBaudRate(921_600)
    #expect(harness.command(0x08, SimWire.syncData).count == 8)
  }
}

/// Drives a board through the in-process transport, with the tests' own encoder.
final class SimTransportHarness {
  let transport: VirtualBoardTransport
  var decoder = SLIPDecoder()
  var noise: [UInt8] = []
  init(_ transport: VirtualBoardTransport) { self.transport = transport }

  func frames(after wire: [UInt8]) -> [[UInt8]] {
    try? transport.write(wire)
    decoder.append((try? transport.read(maxCount: 1 << 20, timeout: 0.1)) ?? [])
    var frames: [[UInt8]] = []
    while let event = decoder.next() {
      switch event {
      case .frame(let frame): frames.append(frame)
      case .noise(let bytes): noise += bytes
      }
    }
    return frames
  }

  func command(_ opcode: UInt8, _ data: [UInt8] = [], checksum: UInt32 = 0) -> [SimReply] {
    frames(after: SimWire.request(opcode, data, checksum: checksum)).compactMap(SimReply.init)
  }

  func enterStub() {
    let address: UInt32 = 0x4010_C500
    _ = command(0x05, SimWire.u32(64, 1, 0x1800, address))
    _ = frames(after: SimWire.dataBlock(0x07, [UInt8](repeating: 1, count: 64), seq: 0))
    _ = frames(after: SimWire.request(0x06, SimWire.u32(0, address)))
  }
}
