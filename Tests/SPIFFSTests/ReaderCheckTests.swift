import Foundation
import SPIFFS
import Testing

/// `check()` and `usage()` on the reference images and on hand-made damage.
@Suite struct ReaderCheckTests {
  @Test(arguments: ReaderFixtures.images)
  func everyReferenceImageChecksClean(_ image: ReaderFixtures.Image) throws {
    let report = try SPIFFSImage(bytes: try ReaderFixtures.bytes(image), layout: image.layout).check()
    #expect(report.problems == [], "\(report.problems.prefix(5).map(\.description))")
    #expect(report.filesChecked == (try ReaderFixtures.listing(image)).rows.count)
    #expect(report.pagesChecked == image.layout.blockCount * image.layout.objectPagesPerBlock)
  }
}

/// Hand-made damage to `esp8266_1M128_small.bin`; each must be found with the right kind and location.
@Suite struct ReaderDamageTests {
  static let image = ReaderFixtures.images[1]

  struct Patched {
    var bytes: [UInt8]
    let layout = ReaderDamageTests.image.layout
    init() throws { bytes = try ReaderFixtures.bytes(ReaderDamageTests.image) }
    var spiffs: SPIFFSImage { get throws { try SPIFFSImage(bytes: bytes, layout: layout) } }
    mutating func put16(_ value: UInt16, at offset: Int) {
      bytes[offset] = UInt8(value & 0xFF)
      bytes[offset + 1] = UInt8(value >> 8)
    }
    func entry(_ name: String) throws -> SPIFFSEntry {
      try #require(try spiffs.entry(named: Array(name.utf8)))
    }
    /// Byte offset of the lookup entry of page `pix`.
    func lookupOffset(_ pix: Int) -> Int {
      (pix / layout.pagesPerBlock) * layout.blockSize + (pix % layout.pagesPerBlock - layout.lookupPagesPerBlock) * 2
    }
    func kinds() throws -> [SPIFFSProblem.Kind] { try spiffs.check().problems.map(\.kind) }
  }

  @Test func oneBadMagicIsAWarningTwoAreNotAFileSystem() throws {
    var p = try Patched()
    p.put16(0x1234, at: 5 * p.layout.blockSize + p.layout.magicOffsetInBlock)
    let one = try p.spiffs.check()
    #expect(one.problems.map(\.kind) == [.badMagic])
    #expect(one.problems.first?.severity == .warning && one.problems.first?.block == 5)
    #expect(one.isConsistent)
    try p.spiffs.mount()
    p.put16(0x0000, at: 9 * p.layout.blockSize + p.layout.magicOffsetInBlock)
    #expect(try p.spiffs.check().errors.map(\.block) == [5, 9])
    #expect(throws: SPIFFSReadError.notAFileSystem(badBlocks: [5, 9], blockCount: 32, layout: p.layout)) {
      try p.spiffs.mount()
    }
  }

  @Test func anIndexEntryPointingAtAnotherFilesPageIsFound() throws {
    var p = try Patched()
    let victim = try p.entry("/certs/ca.pem"), other = try p.entry("/b257.bin")
    // Span 0 of /b257.bin, from its header table.
    let otherTable = other.headerPage * 256 + p.layout.indexHeaderSize
    let target = UInt16(p.bytes[otherTable]) | UInt16(p.bytes[otherTable + 1]) << 8
    p.put16(target, at: victim.headerPage * 256 + p.layout.indexHeaderSize + 2)  // span 1 of the victim
    let report = try p.spiffs.check()
    let wrong = try #require(report.errors.first { $0.kind == .indexPointsAtWrongPage })
    #expect(wrong.page == Int(target) && wrong.objectID == victim.objectID)
    #expect(report.warnings.contains { $0.kind == .orphanDataPage && $0.objectID == victim.objectID })
    #expect(throws: SPIFFSReadError.self) { try p.spiffs.contents(of: victim) }
  }

  @Test func lookupAndHeaderDisagreeing() throws {
    var p = try Patched()
    let file = try p.entry("/config.json")
    p.put16(file.objectID, at: p.lookupOffset(file.headerPage))   // index bit dropped in the lookup
    #expect(try p.kinds().contains(.lookupMismatch))
    p.put16(0xFFFF, at: p.lookupOffset(file.headerPage))          // says free, page is written
    #expect(try p.kinds().contains(.freeEntryWrittenPage))
    #expect(try p.spiffs.entry(named: Array("/config.json".utf8)) == nil)
  }

  @Test func missingSpanHugeSizeUnterminatedAndDuplicateNames() throws {
    var p = try Patched()
    let log = try p.entry("/data/log.csv")
    p.put16(0xFFFF, at: log.headerPage * 256 + p.layout.indexHeaderSize + 4)       // span 2
    #expect(try p.spiffs.check().errors.contains { $0.kind == .missingSpan && $0.objectID == log.objectID })
    let html = try p.entry("/index.html")
    for i in 0..<4 { p.bytes[html.headerPage * 256 + 8 + i] = [0x00, 0x00, 0x00, 0x7F][i] }
    #expect(try p.kinds().contains(.sizeTooLarge))
    #expect(throws: SPIFFSReadError.self) { try p.spiffs.contents(ofFileNamed: Array("/index.html".utf8)) }
    let js = try p.entry("/www/app.js")
    for i in 0..<32 { p.bytes[js.headerPage * 256 + 13 + i] = 0x41 }
    #expect(try p.kinds().contains(.unterminatedName))
    let css = try p.entry("/www/css/style.css")
    let name = Array("/index.html".utf8)
    for i in 0..<32 { p.bytes[css.headerPage * 256 + 13 + i] = i < name.count ? name[i] : 0 }
    #expect(try p.kinds().contains(.duplicateName))
  }

  @Test func aDeletedHeaderLeavesOrphanDataPagesAsWarnings() throws {
    var p = try Patched()
    let file = try p.entry("/certs/device-key.pem")
    p.put16(0, at: p.lookupOffset(file.headerPage))
    p.bytes[file.headerPage * 256 + 4] &= 0x7F
    let report = try p.spiffs.check()
    #expect(report.isConsistent)
    #expect(report.warnings.count == file.pages - 1)
    #expect(report.warnings.allSatisfy { $0.kind == .orphanDataPage && $0.objectID == file.objectID })
    // Once read "data page of span 0 is its object has no index header".
    #expect(report.warnings.first?.message
      == "data page of span 0 is unreferenced: its object has no index header (SPIFFS_check would delete it)")
  }
}

@Suite struct ReaderUsageTests {
  @Test func infoOfTheSmallImage() throws {
    let image = ReaderFixtures.images[1]
    let usage = try SPIFFSImage(bytes: try ReaderFixtures.bytes(image), layout: image.layout).usage()
    #expect(usage.objectPages == usage.usedPages + usage.deletedPages + usage.freePages)
    #expect(usage.fileCount == 20)
    #expect(usage.fileBytes == 43_755)
    #expect(usage.eraseCountMin == 0 && usage.eraseCountMax == 0)
    // 30 * 15 = 450 pages before the GC reserve, minus 203 used and 160 deleted: 87 for the GC check, so at
    // most 85 data pages (the header takes one, the check wants one spare). Of the 117 free lookup entries
    // SPIFFS hands out 88 (12 in a used block, then 5 untouched blocks and the first page of a sixth; the last
    // untouched block stays free), so the GC check is what limits here.
    #expect(usage.freePages == 117 && usage.freeBlocks == 7)
    #expect(usage.largestNewFile == 85 * 251)
    #expect(usage.largestNewFile == image.layout.largestNewFile(allocatablePages: 88, gcFreePages: 87))
    #expect(usage.largestNewFileAfterGC == image.layout.largestNewFile(allocatablePages: 451 - 203, gcFreePages: 450 - 203))
  }
}

@Suite struct ReaderMetadataTests {
  @Test func esp32MetadataShowsTheESPIDFMtimeWhenSet() throws {
    let image = ReaderFixtures.images[2]
    var bytes = try ReaderFixtures.bytes(image)
    let before = try SPIFFSImage(bytes: bytes, layout: image.layout)
    let file = try #require(before.entry(named: Array("/config.json".utf8)))
    #expect(file.metadata == [0xFF, 0xFF, 0xFF, 0xFF] && file.mtime == nil)
    // 2024-01-02T03:04:05Z, little-endian at the metadata offset (13 + 32).
    let stamp: UInt32 = 1_704_164_645
    for i in 0..<4 { bytes[file.headerPage * 256 + 45 + i] = UInt8(truncatingIfNeeded: stamp >> (8 * UInt32(i))) }
    let after = try SPIFFSImage(bytes: bytes, layout: image.layout)
    #expect(after.entry(named: Array("/config.json".utf8))?.mtime == stamp)
    #expect(after.check().problems.isEmpty)
    let esp8266 = try SPIFFSImage(bytes: try ReaderFixtures.bytes(ReaderFixtures.images[1]), layout: ReaderFixtures.images[1].layout)
    #expect(esp8266.entries().allSatisfy { $0.metadata.isEmpty && $0.mtime == nil })
  }

  @Test func anIndexPageBeyondTheSizeIsANote() throws {
    // /hdr105.bin fills exactly the 105 header slots (§10); a stray index page 2 of it is beyond its size.
    let image = ReaderFixtures.images[1]
    var bytes = try ReaderFixtures.bytes(image)
    let spiffs = try SPIFFSImage(bytes: bytes, layout: image.layout)
    let file = try #require(spiffs.entry(named: Array("/hdr105.bin".utf8)))
    let usage = spiffs.usage()
    #expect(usage.freePages > 0)
    // Put index page 2 into the first free page.
    let layout = image.layout
    let slot = try #require((0..<(layout.blockCount * layout.objectPagesPerBlock)).first {
      spiffs.lookupValue(block: $0 / layout.objectPagesPerBlock, entry: $0 % layout.objectPagesPerBlock) == 0xFFFF
    })
    let block = slot / layout.objectPagesPerBlock, entry = slot % layout.objectPagesPerBlock
    let pix = layout.pageIndex(block: block, entry: entry)
    let id = file.objectID | 0x8000
    bytes[block * layout.blockSize + entry * 2] = UInt8(id & 0xFF)
    bytes[block * layout.blockSize + entry * 2 + 1] = UInt8(id >> 8)
    PageHeader(objectID: id, spanIndex: 2, flags: .index).encode(into: &bytes, at: pix * 256)
    let report = try SPIFFSImage(bytes: bytes, layout: layout).check()
    // SPIFFS_check does not compare index pages with the size, so this is a note, not a problem.
    #expect(report.problems == [])
    #expect(report.notes.map(\.kind) == [.orphanIndexPage])
    #expect(report.notes.first?.page == pix && report.notes.first?.severity == .note && report.isConsistent)
  }
}
