import Testing
import TestSupport
@testable import ESPLoader

/// The decoder must give the same frames however the bytes are split, with boot-log garbage between frames.
@Suite struct SLIPStreamTests {
  static func corpus(seed: UInt64) -> (wire: [UInt8], frames: [[UInt8]]) {
    var rng = SplitMix64(seed: seed)
    var frames: [[UInt8]] = [[0xC0], [0xDB], [0xDB, 0xDC], [0xC0, 0xDB, 0xDD], Command.sync.packet]
    for _ in 0..<6 {
      let n = Int.random(in: 1...300, using: &rng)
      frames.append((0..<n).map { _ in [0xC0, 0xDB, 0xDC, 0xDD, UInt8.random(in: 0...255, using: &rng)].randomElement(using: &rng)! })
    }
    var wire: [UInt8] = Array("ets Jan  8 2013,rst cause:2, boot mode:(1,7)\r\n".utf8)
    for (i, f) in frames.enumerated() {
      wire += SLIP.encode(f)
      // Back-to-back delimiters, or noise between frames. (Both at once is ambiguous in SLIP: after
      // `C0 C0` the noise would open a frame, as it would for the ROM.)
      if i % 4 == 1 { wire += Array("garbage \(i)\n".utf8) } else if i % 3 == 0 { wire += [0xC0] }
    }
    return (wire, frames)
  }

  static func decode(_ wire: [UInt8], chunk: Int) -> [[UInt8]] {
    var decoder = SLIPDecoder()
    var out: [[UInt8]] = []
    var i = 0
    while i < wire.count {
      decoder.append(wire[i..<min(wire.count, i + chunk)])
      while let f = decoder.nextFrame() { out.append(f) }
      i += chunk
    }
    return out
  }

  @Test func everyChunkSizeGivesTheSameFrames() {
    let seed: UInt64 = 0x5EED_0001
    let (wire, frames) = Self.corpus(seed: seed)
    for chunk in 1...wire.count {
      let got = Self.decode(wire, chunk: chunk)
      #expect(got == frames, "chunk size \(chunk), seed \(seed)")
      if got != frames { break }
    }
  }

  @Test(arguments: [UInt64(1), 2, 3, 0xDEAD_BEEF])
  func randomPayloadsRoundTrip(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<50 {
      let n = Int.random(in: 1...2000, using: &rng)
      let payload = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
      let chunk = Int.random(in: 1...64, using: &rng)
      #expect(Self.decode(SLIP.encode(payload), chunk: chunk) == [payload], "seed \(seed)")
    }
  }

  @Test func noiseIsReportedSoBootLogsCanBeShown() {
    var decoder = SLIPDecoder()
    decoder.append(Array("Guru Meditation Error".utf8) + SLIP.encode([1, 2]))
    var noise: [UInt8] = []
    var frames: [[UInt8]] = []
    while let e = decoder.next() {
      switch e {
      case .noise(let n): noise += n
      case .frame(let f): frames.append(f)
      }
    }
    #expect(String(decoding: noise, as: UTF8.self) == "Guru Meditation Error")
    #expect(frames == [[1, 2]])
  }
}
