import DeviceSimulator
import ESPLoader
import Testing
import TestSupport

@Suite("Virtual board: seeded property tests")
struct SimPropertyTests {
  /// Random stub writes (plain or compressed, random sector-aligned offsets and lengths) against a model in
  /// which each write first erases every sector it touches, whole, as the stub does.
  @Test("stub writes match an erase-whole-sectors model", arguments: [UInt64(1), 2, 3, 0xC0FFEE])
  func stubWritesMatchModel(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    func next16() -> Int { Int(random.byte()) << 8 | Int(random.byte()) }
    let size = 1 << 20
    var model = [UInt8](repeating: 0x5A, count: size)  // dirty flash
    let harness = SimHarness(.esp32, flashSize: size, flash: NORFlash(contents: model))
    harness.enterStub()
    for round in 0..<6 {
      let offset = (next16() % 200) * 0x1000
      let length = 1 + next16() % 0x9000
      let data: [UInt8] = (0..<length).map { index -> UInt8 in index % 5 == 0 ? random.byte() : UInt8(index & 0x7F) }
      let compress = random.byte() & 1 == 0
      let payload = compress ? try #require(SimZlib.compress(data)) : data
      let blockSize = 0x4000
      let blocks = (payload.count + blockSize - 1) / blockSize
      let begin = harness.command(compress ? 0x10 : 0x02,
                                  SimWire.u32(UInt32(length), UInt32(blocks), UInt32(blockSize), UInt32(offset), 0))
      #expect(begin.first?.data == [0, 0], "seed \(seed) round \(round): BEGIN")
      for seq in 0..<blocks {
        var chunk = Array(payload[(seq * blockSize)..<min(payload.count, (seq + 1) * blockSize)])
        if !compress { chunk += [UInt8](repeating: 0xFF, count: blockSize - chunk.count) }  // esptool pads
        let reply = harness.exchange(SimWire.dataBlock(compress ? 0x11 : 0x03, chunk, seq: UInt32(seq)))
        #expect(reply.compactMap(SimReply.init).first?.data == [0, 0], "seed \(seed) round \(round) block \(seq)")
      }
      #expect(harness.command(compress ? 0x12 : 0x04, SimWire.u32(1)).first?.data == [0, 0], "seed \(seed) round \(round): END")
      let firstSector = offset / 0x1000
      let endSector = (offset + length + 0xFFF) / 0x1000
      for index in (firstSector * 0x1000)..<(endSector * 0x1000) { model[index] = 0xFF }
      for (index, byte) in data.enumerated() { model[offset + index] &= byte }
    }
    #expect(harness.board.flash.bytes == model, "seed \(seed): flash differs from the model")
    let md5 = harness.command(0x13, SimWire.u32(0, UInt32(size), 0, 0))
    #expect(md5.first.map { Array($0.data.prefix(16)) } == SimMD5.digest(model), "seed \(seed): MD5")
  }
}

@Suite("Virtual board: garbage in")
struct SimFuzzTests {
  /// Random requests (any opcode, random lengths and fields, some valid-looking) and raw noise must never
  /// trap the board; every reply it sends is well-formed.
  @Test("random requests and noise never crash the board", arguments: [Chip.esp8266, .esp32, .esp32s3])
  func randomRequests(chip: Chip) {
    for seed in [UInt64(11), 12] {
      var random = SplitMix64(seed: seed ^ UInt64(chip.rawValue.count))
      let harness = SimHarness(chip, flashSize: 1 << 20)
      if seed == 12 { harness.enterStub() }
      for round in 0..<1500 {
        let opcode: UInt8 = random.byte() & 1 == 0 ? random.byte() : UInt8(2 + Int(random.byte()) % 0x13)
        let length = Int(random.byte()) % 40
        var data: [UInt8] = (0..<length).map { _ in random.byte() }
        if length >= 8, random.byte() & 3 == 0 {  // small plausible words: sizes and offsets in range
          for word in stride(from: 0, to: length - 3, by: 4) { data[word + 2] = 0; data[word + 3] = 0 }
        }
        let wire = random.byte() & 15 == 0 ? (0..<Int(random.byte())).map { _ in random.byte() }
          : SimWire.request(opcode, data, checksum: UInt32(random.byte()))
        for frame in harness.exchange(wire) {
          if frame.count >= 8, frame[0] == 0x01 {
            let size = Int(frame[2]) | Int(frame[3]) << 8
            #expect(size == frame.count - 8, "seed \(seed) round \(round): reply size field")
          }
        }
        if harness.board.state != .romLoader && harness.board.state != .stubLoader {
          harness.board.reset(intoDownloadMode: true)
        }
      }
    }
  }
}
