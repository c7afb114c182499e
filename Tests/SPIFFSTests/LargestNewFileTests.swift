import SPIFFS
import Testing

/// "Largest new file" as SPIFFS allocates: index pages, the header moves of a long append, the pages kept free
/// for garbage collection. The figures are what the real SPIFFS wrote at most into each empty image (issue 13:
/// the ESP8266 core's / ESP-IDF's SPIFFS sources over a NOR flash model, one write per file).
@Suite struct LargestNewFileTests {
  @Test(arguments: [("esp32-default", 1_297_168), ("1M128", 111_444), ("512K32", 22_088), ("4M1M", 942_003)])
  func emptyImageMatchesTheRealSPIFFS(_ preset: String, _ expected: Int) throws {
    let layout = try #require(SPIFFSLayoutPresets.named(preset)).layout
    let empty = try SPIFFSBuilder(layout: layout).build([])
    let usage = try SPIFFSImage(bytes: empty.image, layout: layout).usage()
    #expect(usage.largestNewFile == expected, "\(preset)")
    #expect(usage.largestNewFileAfterGC == expected, "\(preset)")
    // The old estimate (one header and the index pages, no header moves) overstated exactly these.
    #expect(usage.largestNewFile % layout.dataBytesPerPage == 0)
  }

  @Test func boundariesOfTheFormula() {
    let layout = SPIFFSLayout(platform: .esp8266, imageSize: 0x20000, blockSize: 4096)
    // The GC check wants the data plus one spare page after the header: 2 pages of slack.
    #expect(layout.largestNewFile(allocatablePages: 1000, gcFreePages: 2) == 0)
    #expect(layout.largestNewFile(allocatablePages: 1000, gcFreePages: 3) == 251)
    // Inside the header's table: header + data.
    #expect(layout.largestNewFile(allocatablePages: 106, gcFreePages: 1000) == 105 * 251)
    // Span 105 needs index page 1 and, at the end, a header move: 3 pages more than the header table.
    #expect(layout.largestNewFile(allocatablePages: 108, gcFreePages: 1000) == 105 * 251)
    #expect(layout.largestNewFile(allocatablePages: 109, gcFreePages: 1000) == 106 * 251)
    for pages in 1..<1500 {
      let size = layout.largestNewFile(allocatablePages: pages, gcFreePages: 10_000)
      let data = size / 251
      let index = data > 105 ? (data - 105 + 123) / 124 : 0
      #expect(1 + data + 2 * index <= pages)
      let more = data + 1, moreIndex = more > 105 ? (more - 105 + 123) / 124 : 0
      #expect(1 + more + 2 * moreIndex > pages)
    }
  }
}
