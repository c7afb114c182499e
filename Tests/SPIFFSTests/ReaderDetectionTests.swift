import SPIFFS
import Testing

@Suite struct ReaderDetectionTests {
  /// An empty ESP8266 image with 8 KiB blocks that also carries ESP32 magic for 64 KiB blocks.
  static func ambiguousImage() -> [UInt8] {
    let size = 16 * 65536
    var bytes = [UInt8](repeating: 0xFF, count: size)
    let esp8266 = SPIFFSLayout(platform: .esp8266, imageSize: size, blockSize: 8192)
    let esp32 = SPIFFSLayout(platform: .esp32, imageSize: size, blockSize: 65536)
    for (layout, block) in (0..<esp8266.blockCount).map({ (esp8266, $0) }) + (0..<esp32.blockCount).map({ (esp32, $0) }) {
      let o = block * layout.blockSize + layout.magicOffsetInBlock
      let magic = layout.magic(forBlock: block)
      bytes[o] = UInt8(magic & 0xFF)
      bytes[o + 1] = UInt8(magic >> 8)
    }
    return bytes
  }

  @Test func twoMountableLayoutsAreReportedAsAmbiguous() throws {
    #expect {
      try SPIFFSLayoutDetector.detect(Self.ambiguousImage())
    } throws: { error in
      guard case .ambiguousLayout(_, let candidates) = error as? SPIFFSReadError else { return false }
      return Set(candidates.map { "\($0.layout.platform!)/\($0.layout.blockSize)" }) == ["esp8266/8192", "esp32/65536"]
    }
    // Narrowing the platform settles it.
    let found = try SPIFFSLayoutDetector.detect(Self.ambiguousImage(), platforms: [.esp8266])
    #expect(found.layout.blockSize == 8192)
  }

  @Test func erasedFlashMatchesNothing() {
    #expect {
      try SPIFFSLayoutDetector.detect([UInt8](repeating: 0xFF, count: 0x20000))
    } throws: { error in
      guard case .noLayoutMatches(let size, let tried) = error as? SPIFFSReadError else { return false }
      // 64 KiB blocks give only two blocks here, fewer than SPIFFS needs, so four layouts are tried.
      return size == 0x20000 && tried.count == 4 && tried.allSatisfy { $0.matchingBlocks == 0 }
    }
  }

  @Test func oneMissingMagicStillDetectsAndMounts() throws {
    let image = ReaderFixtures.images[5]
    var bytes = try ReaderFixtures.bytes(image)
    bytes[3 * 8192 + 0xFC] = 0
    let found = try SPIFFSLayoutDetector.detect(bytes)
    #expect(found.layout == image.layout && found.matchingBlocks == 124)
    let spiffs = try SPIFFSImage(bytes: bytes, layout: found.layout)
    try spiffs.mount()
    #expect(spiffs.blocksWithBadMagic() == [3])
  }
}
