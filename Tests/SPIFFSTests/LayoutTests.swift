import Testing
@testable import SPIFFS

@Suite struct LayoutTests {
  @Test func esp8266GeometryMatchesTheFormatDoc() throws {
    let layout = SPIFFSLayout(platform: .esp8266, imageSize: 0xFA000, blockSize: 8192)
    try layout.validate()
    #expect(layout.blockCount == 125)
    #expect(layout.pagesPerBlock == 32)
    #expect(layout.lookupPagesPerBlock == 1)
    #expect(layout.objectPagesPerBlock == 31)
    #expect(layout.indexHeaderSize == 46)
    #expect(layout.entriesInIndexHeader == 105)
    #expect(layout.entriesPerIndexPage == 124)
    #expect(layout.magic(forBlock: 0) == 0x0429)
    #expect(layout.magic(forBlock: 124) == 0x0429)
  }

  @Test func esp32GeometryMatchesTheFormatDoc() throws {
    let layout = SPIFFSLayout(platform: .esp32, imageSize: 0x160000, blockSize: 4096)
    try layout.validate()
    #expect(layout.blockCount == 352)
    #expect(layout.indexHeaderSize == 49)
    #expect(layout.entriesInIndexHeader == 103)
    #expect(layout.magic(forBlock: 0) == 0x0549)
    #expect(layout.magic(forBlock: 1) == 0x0576)
    #expect(layout.indexLocation(ofDataSpan: 102) == (0, 102))
    #expect(layout.indexLocation(ofDataSpan: 103) == (1, 0))
    #expect(layout.indexLocation(ofDataSpan: 103 + 124) == (2, 0))
  }

  @Test func sixtyFourKiBBlocksUseTwoLookupPages() throws {
    let layout = SPIFFSLayout(platform: .esp32, imageSize: 0x100000, blockSize: 65536)
    #expect(layout.lookupPagesPerBlock == 2)
    #expect(layout.objectPagesPerBlock == 254)
    try layout.validate()
  }

  @Test func impossibleLayoutsAreRefusedWithAReason() {
    let tooFewBlocks = SPIFFSLayout(platform: .esp8266, imageSize: 8192, blockSize: 4096)
    #expect(throws: LayoutError.self) { try tooFewBlocks.validate() }
    let oddPage = SPIFFSLayout(platform: .esp8266, imageSize: 0x20000, blockSize: 4096, pageSize: 200)
    #expect(throws: LayoutError.self) { try oddPage.validate() }
  }
}
