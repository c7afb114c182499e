import Testing
@testable import ESPLoader

@Suite struct SLIPTests {
  @Test func escapesEndAndEscapeBytes() {
    #expect(SLIP.encode([0x01, 0xC0, 0x02, 0xDB, 0x03]) == [0xC0, 0x01, 0xDB, 0xDC, 0x02, 0xDB, 0xDD, 0x03, 0xC0])
  }

  @Test func decodesFramesSplitAtEveryByteWithNoiseBetween() {
    let payloads: [[UInt8]] = [[0x01, 0x08, 0xC0, 0xDB], [0x00], Array(0...255)]
    var wire: [UInt8] = Array("ets Jan  8 2013,rst cause:2\r\n".utf8)
    for p in payloads { wire += SLIP.encode(p) + [0xC0] }
    var decoder = SLIPDecoder()
    var frames: [[UInt8]] = []
    var noise: [UInt8] = []
    for byte in wire {
      decoder.append([byte])
      while let event = decoder.next() {
        switch event {
        case .frame(let f): frames.append(f)
        case .noise(let n): noise += n
        }
      }
    }
    #expect(frames == payloads)
    #expect(String(decoding: noise, as: UTF8.self).hasPrefix("ets Jan"))
    #expect(decoder.protocolErrors == 0)
  }
}
