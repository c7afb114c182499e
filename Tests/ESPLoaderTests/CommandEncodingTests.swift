import Testing
@testable import ESPLoader

/// Exact packets for the commands whose bytes the rom-protocol doc and the esptool captures pin down.
@Suite struct CommandEncodingTests {
  @Test func syncIsThirtySixBytesOf07071220And55s() {
    let p = Command.sync.packet
    #expect(p.count == 44)
    #expect(Array(p[0..<8]) == [0x00, 0x08, 0x24, 0x00, 0, 0, 0, 0])
    #expect(Array(p[8..<12]) == [0x07, 0x07, 0x12, 0x20])
    #expect(p[12...].allSatisfy { $0 == 0x55 })
    // c01: "wire=46B" — no byte of SYNC needs escaping.
    #expect(Command.sync.frame.count == 46)
  }

  @Test func readRegAndWriteRegMatchC03() {
    #expect(Command.readReg(address: 0x4000_1000).packet == [0x00, 0x0A, 0x04, 0x00, 0, 0, 0, 0, 0x00, 0x10, 0x00, 0x40])
    let w = Command.writeReg([.init(address: 0x6000_0220, value: 0x1700)]).packet
    #expect(w == [0x00, 0x09, 0x10, 0x00, 0, 0, 0, 0,
                  0x20, 0x02, 0x00, 0x60, 0x00, 0x17, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0])
  }

  @Test func flashBeginWithESP8266EraseWorkaroundMatchesC03AndC20() {
    // c03: FLASH_BEGIN erase_size=0xf0000 num_blocks=1024 block_size=0x400 offset=0x300000
    #expect(Flasher.esp8266EraseSize(offset: 0x30_0000, size: 0x10_0000) == 0xF_0000)
    // c20: 0xFA000 bytes → erase_size=0xea000 num_blocks=1000
    #expect(Flasher.esp8266EraseSize(offset: 0x30_0000, size: 0xF_A000) == 0xE_A000)
    let p = Command.flashBegin(eraseSize: 0xF_0000, blocks: 1024, blockSize: 0x400, offset: 0x30_0000, encrypt: nil).packet
    #expect(p == [0x00, 0x02, 0x10, 0x00, 0, 0, 0, 0,
                  0x00, 0x00, 0x0F, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00])
  }

  /// §5.3 worked examples (esptool's `get_erase_size`).
  @Test(arguments: [
    (UInt32(0x0), 0x1000, UInt32(0x1000)), (0x0, 0x3000, 0x2000), (0x0, 0x10000, 0x8000),
    (0x0, 0x11000, 0x9000), (0xE000, 0x3000, 0x2000), (0x30_0000, 0xFA000, 0xEA000), (0x30_0000, 0x100000, 0xF0000),
  ])
  func esp8266EraseSizeTable(offset: UInt32, size: Int, expected: UInt32) {
    #expect(Flasher.esp8266EraseSize(offset: offset, size: size) == expected)
  }

  @Test func deflBeginForms() {
    // c04 (ESP32 ROM): 16 bytes. c09 (stub): 20 bytes with encrypt=0.
    let rom = Command.flashDeflBegin(size: 0x10_0000, blocks: 34, blockSize: 0x400, offset: 0x30_0000, encrypt: nil)
    #expect(rom.packet.count == 8 + 16)
    #expect(Array(rom.packet[8...]) == Command.words([0x10_0000, 34, 0x400, 0x30_0000]))
    let stub = Command.flashDeflBegin(size: 0x10_0000, blocks: 3, blockSize: 0x4000, offset: 0x30_0000, encrypt: 0)
    #expect(stub.frame.count == 30)
    #expect(Array(stub.packet[8...]) == Command.words([0x10_0000, 3, 0x4000, 0x30_0000, 0]))
  }

  @Test func spiAttachRomHasTheExtraZeroWord() {
    #expect(Command.spiAttach(config: 0, romForm: true).packet == [0x00, 0x0D, 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    #expect(Command.spiAttach(config: 0, romForm: false).packet.count == 12)
  }

  @Test func md5AndSetParams() {
    #expect(Command.spiFlashMD5(offset: 0x30_0000, size: 0x10_0000).packet
            == [0x00, 0x13, 0x10, 0x00, 0, 0, 0, 0] + Command.words([0x30_0000, 0x10_0000, 0, 0]))
    #expect(Array(Command.spiSetParams(totalSize: 0x40_0000).packet[8...])
            == Command.words([0, 0x40_0000, 0x1_0000, 0x1000, 0x100, 0xFFFF]))
  }

  @Test func dataChecksumIsXorSeededEFOverPayloadOnly() {
    #expect(Command.checksum([]) == 0xEF)
    #expect(Command.checksum([0xEF]) == 0x00)
    #expect(Command.checksum([0x01, 0x02, 0x04]) == 0xEF ^ 0x07)
    // 1024 bytes of 0xFF: an even number of 0xFF cancels out → 0xEF (c03 blocks of padding show chk 0xef).
    let block = [UInt8](repeating: 0xFF, count: 1024)
    let p = Command.flashData(sequence: 1023, payload: block).packet
    #expect(Array(p[0..<8]) == [0x00, 0x03, 0x10, 0x04, 0xEF, 0, 0, 0])
    #expect(Array(p[8..<24]) == Command.words([1024, 1023, 0, 0]))
    #expect(Command.flashData(sequence: 1023, payload: block).frame.count == 1050)
  }

  @Test func memEndSetsNoEntryFlagOnlyForEntryZero() {
    #expect(Array(Command.memEnd(entry: 0x400A_902C).packet[8...]) == Command.words([0, 0x400A_902C]))
    #expect(Array(Command.memEnd(entry: 0).packet[8...]) == Command.words([1, 0]))
  }

  @Test func memBeginWithC0InTheSizeIsEscaped() {
    // c09: MEM_BEGIN total_size=0x2cc0 … wire=27B: the 0xC0 byte costs one escape.
    let c = Command.memBegin(totalSize: 0x2CC0, blocks: 2, blockSize: 0x1800, address: 0x4010_C500)
    #expect(c.frame.count == 27)
  }

  @Test func readFlashAndEraseAndBaud() {
    #expect(Array(Command.readFlash(offset: 0x30_0000, length: 0x1_0000, packetSize: 0x1000, maxUnacked: 64).packet[8...])
            == Command.words([0x30_0000, 0x1_0000, 0x1000, 64]))
    #expect(Array(Command.changeBaudrate(new: 921_600, old: 0).packet[8...]) == Command.words([921_600, 0]))
    #expect(Command.eraseRegion(offset: 0x3F_0000, size: 0x1_0000).frame.count == 18)
    #expect(Command.eraseFlash.packet == [0x00, 0xD0, 0, 0, 0, 0, 0, 0])
    #expect(Command.runUserCode.packet == [0x00, 0xD3, 0, 0, 0, 0, 0, 0])
    #expect(Command.getSecurityInfo.frame.count == 10)
  }

  /// §5.3 "ROM erases" column: one extra sector exactly when N ≤ 2h and N is odd.
  @Test func esp8266OverEraseModel() {
    #expect(Flasher.esp8266ROMOverErase(offset: 0, size: 0x1000) == 0x1000..<0x2000)
    #expect(Flasher.esp8266ROMOverErase(offset: 0, size: 0x3000) == 0x3000..<0x4000)
    #expect(Flasher.esp8266ROMOverErase(offset: 0, size: 0x10000) == nil)
    #expect(Flasher.esp8266ROMOverErase(offset: 0, size: 0x11000) == 0x11000..<0x12000)
    #expect(Flasher.esp8266ROMOverErase(offset: 0xE000, size: 0x3000) == 0x11000..<0x12000)
    #expect(Flasher.esp8266ROMOverErase(offset: 0x30_0000, size: 0xFA000) == nil)
    #expect(Flasher.esp8266ROMOverErase(offset: 0x30_0000, size: 0x10_0000) == nil)
  }
}
