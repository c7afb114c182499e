import Foundation
import SPIFFS
import Testing

/// The reader against the real SPIFFS listings of all eight reference images (§1.8, §10).
@Suite struct ReaderGoldenTests {
  @Test(arguments: ReaderFixtures.images)
  func listingIdsPagesSizesHashesAndNamesMatch(_ image: ReaderFixtures.Image) throws {
    let expected = try ReaderFixtures.listing(image)
    #expect(expected.rows.count > 0)
    let spiffs = try SPIFFSImage(bytes: try ReaderFixtures.bytes(image), layout: image.layout)
    try spiffs.mount()
    var rows: [ReaderFixtures.Row] = []
    for entry in spiffs.entries() {
      let content = try spiffs.contents(of: entry)
      #expect(content.count == entry.size)
      rows.append(.init(id: entry.objectID, headerPage: entry.headerPage, size: entry.size,
                        sha256: ReaderFixtures.sha256(content), name: entry.nameBytes))
    }
    #expect(rows == expected.rows)
  }

  @Test(arguments: ReaderFixtures.images)
  func mountStatisticsMatchTheRealSPIFFS(_ image: ReaderFixtures.Image) throws {
    let stats = try ReaderFixtures.listing(image).stats
    let usage = try SPIFFSImage(bytes: try ReaderFixtures.bytes(image), layout: image.layout).usage()
    #expect(stats["blocks"] == "\(usage.blockCount)")
    #expect(stats["pages_per_block"] == "\(usage.pagesPerBlock)")
    #expect(stats["lu_pages"] == "\(usage.lookupPagesPerBlock)")
    #expect(stats["free_blocks"] == "\(usage.freeBlocks)")
    #expect(stats["alloc_pages"] == "\(usage.usedPages)")
    #expect(stats["deleted_pages"] == "\(usage.deletedPages)")
    #expect(stats["total"] == "\(usage.totalBytes)")
    #expect(stats["used"] == "\(usage.usedBytes)")
    #expect(stats["max_erase_count"] == "\(usage.nextEraseCount)")
    #expect(usage.badMagicBlocks.isEmpty)
  }

  @Test(arguments: ReaderFixtures.images.filter { $0.input != nil })
  func mkspiffsImageContentEqualsTheInputTree(_ image: ReaderFixtures.Image) throws {
    let spiffs = try SPIFFSImage(bytes: try ReaderFixtures.bytes(image), layout: image.layout)
    let folder = ReaderFixtures.root.appendingPathComponent("input/\(image.input!)")
    let entries = spiffs.entries()
    var expectedNames: [String] = []
    let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = walker?.nextObject() as? URL {
      guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
      expectedNames.append(String(url.path.dropFirst(folder.path.count)))
    }
    #expect(Set(entries.map(\.name)) == Set(expectedNames))
    for entry in entries {
      let onDisk = [UInt8](try Data(contentsOf: folder.appendingPathComponent(String(entry.name.dropFirst()))))
      #expect(try spiffs.contents(of: entry) == onDisk, "\(entry.name)")
    }
  }

  @Test(arguments: ReaderFixtures.images)
  func autodetectionFindsTheLayoutTheImageWasBuiltWith(_ image: ReaderFixtures.Image) throws {
    let found = try SPIFFSLayoutDetector.detect(try ReaderFixtures.bytes(image))
    #expect(found.layout.platform == image.platform)
    #expect(found.layout.blockSize == image.block)
    #expect(found.matchingBlocks == found.layout.blockCount)
  }

  @Test func anEmptyFileReadsAsZeroBytesAndTheLongestNameIsKept() throws {
    let image = ReaderFixtures.images[0]
    let spiffs = try SPIFFSImage(bytes: try ReaderFixtures.bytes(image), layout: image.layout)
    let empty = try #require(spiffs.entry(named: Array("/empty.txt".utf8)))
    #expect(empty.size == 0)
    #expect(try spiffs.contents(of: empty).isEmpty)
    let long = try #require(spiffs.entry(named: Array("/www/long_name_0123456789ab.txt".utf8)))
    #expect(long.nameBytes.count == 31)
    #expect(!long.nameIsUnterminated)
  }
}
