import Foundation
import Testing
@testable import SPIFFS

/// The compact format: read back equals the input, structure as SPIFFS expects it, capacity rule.
@Suite struct BuilderCompactTests {
  /// Structural checks in the spirit of `SPIFFS_check`: every used lookup entry agrees with its page, pages
  /// are final and live, every data page is referenced exactly once, free pages are erased, no page deleted.
  static func structuralProblems(_ image: [UInt8], layout: SPIFFSLayout) -> [String] {
    var problems: [String] = []
    let p = layout.pageSize
    func u16(_ o: Int) -> UInt16 { UInt16(image[o]) | UInt16(image[o + 1]) << 8 }
    var referenced: [Int: Int] = [:]
    var dataPages = Set<Int>()
    var seenFree = false
    for b in 0..<layout.blockCount {
      let base = b * layout.blockSize
      if layout.usesMagic, u16(base + layout.magicOffsetInBlock) != layout.magic(forBlock: b) { problems.append("block \(b): magic") }
      if u16(base + layout.eraseCountOffsetInBlock) != 0 { problems.append("block \(b): erase count") }
      for e in 0..<layout.objectPagesPerBlock {
        let lu = u16(base + 2 * e)
        let pix = layout.pageIndex(block: b, entry: e)
        let page = image[(pix * p)..<(pix * p + p)]
        if lu == 0xFFFF {
          seenFree = true
          if page.contains(where: { $0 != 0xFF }) { problems.append("page \(pix): free in the lookup but written") }
          continue
        }
        if seenFree { problems.append("page \(pix): used after a free page (not in physical order)") }
        if lu == 0 { problems.append("page \(pix): deleted"); continue }
        guard let h = PageHeader(decoding: image, at: pix * p), h.objectID == lu else {
          problems.append("page \(pix): header id differs from lookup 0x\(String(lu, radix: 16))"); continue
        }
        let wanted: UInt8 = lu & 0x8000 != 0 ? 0xF8 : 0xFC
        if h.flags.rawValue != wanted { problems.append("page \(pix): flags 0x\(String(h.flags.rawValue, radix: 16))") }
        if lu & 0x8000 == 0 {
          dataPages.insert(pix)
          continue
        }
        if h.spanIndex != 0, image[(pix * p + 5)..<(pix * p + 8)] != [0xFF, 0xFF, 0xFF] {
          problems.append("index page \(pix): gap bytes")
        }
        let k = Int(h.spanIndex)
        let table = layout.tableOffset(inIndexSpan: k)
        let entries = k == 0 ? layout.entriesInIndexHeader : layout.entriesPerIndexPage
        for i in 0..<entries {
          let ref = Int(u16(pix * p + table + 2 * i))
          guard ref != 0xFFFF else { continue }
          referenced[ref, default: 0] += 1
          let span = k == 0 ? i : layout.entriesInIndexHeader + (k - 1) * layout.entriesPerIndexPage + i
          if let dh = PageHeader(decoding: image, at: ref * p), dh.objectID != lu & 0x7FFF || Int(dh.spanIndex) != span {
            problems.append("index page \(pix) entry \(i): page \(ref) holds id \(dh.objectID) span \(dh.spanIndex)")
          }
        }
      }
    }
    for pix in dataPages where referenced[pix] != 1 { problems.append("data page \(pix) referenced \(referenced[pix] ?? 0) times") }
    return problems
  }

  static func expectRoundTrip(_ files: [SPIFFSFile], layout: SPIFFSLayout, format: SPIFFSImageFormat, seed: UInt64? = nil) throws {
    let context = "layout \(layout), format \(format)" + (seed.map { ", seed \($0)" } ?? "")
    let result = try SPIFFSBuilder(layout: layout, format: format).build(files)
    #expect(result.image.count == layout.imageSize, "\(context)")
    var read = try readBack(result.image, layout: layout)
    if format == .mkspiffs {
      // Garbage collection moves headers, so the physical (readdir) order can differ from the build order.
      let position = Dictionary(uniqueKeysWithValues: files.enumerated().map { ($1.nameBytes, $0) })
      read.sort { (position[$0.name] ?? -1) < (position[$1.name] ?? -1) }
    }
    #expect(read.count == files.count, "\(context): file count")
    for (file, entry) in zip(files, read) {
      #expect(entry.name == file.nameBytes, "\(context): \(file.name) missing or out of order")
      #expect(entry.contents == file.contents, "\(context): \(file.name) contents differ")
    }
    #expect(read.map(\.objectID) == result.objectIDs, "\(context): ids")
    for (file, entry) in zip(files, read) where file.contents.isEmpty {
      #expect(entry.rawSize == 0xFFFF_FFFF, "\(context): empty file keeps the unwritten size")
    }
    if format == .compact {
      let problems = structuralProblems(result.image, layout: layout)
      #expect(problems.isEmpty, "\(context): \(problems.prefix(5))")
      #expect(result.objectIDs == (0..<files.count).map { UInt16($0 + 1) }, "\(context)")
      #expect(result.deletedPages == 0)
      #expect(result.usedPages == CompactPacker.pages(for: files, geometry: BuildGeometry(layout)))
    }
  }

  @Test(arguments: BuilderGoldenTests.vectors)
  func compactVectorTreesReadBack(_ vector: BuilderGoldenTests.Vector) throws {
    let files = try BuilderFixtures.files(tree: vector.tree, orderOf: vector.image)
    try Self.expectRoundTrip(files, layout: vector.layout, format: .compact)
  }

  @Test(arguments: BuilderGoldenTests.vectors)
  func mkspiffsVectorTreesReadBack(_ vector: BuilderGoldenTests.Vector) throws {
    let files = try BuilderFixtures.files(tree: vector.tree, orderOf: vector.image)
    try Self.expectRoundTrip(files, layout: vector.layout, format: .mkspiffs)
  }

  @Test(arguments: 0..<RandomTrees.layouts.count, [SPIFFSImageFormat.compact, .mkspiffs])
  func randomTreesReadBack(layoutIndex: Int, format: SPIFFSImageFormat) throws {
    let layout = RandomTrees.layouts[layoutIndex]
    for seed in UInt64(1)...12 {
      let mixed = seed &* 0x1000 &+ UInt64(layoutIndex)
      let files = RandomTrees.tree(seed: mixed, layout: layout, budgetFraction: format == .compact ? 0.8 : 0.35)
      try Self.expectRoundTrip(files, layout: layout, format: format, seed: mixed)
    }
  }

  @Test func compactLeavesMoreRoomThanMkspiffsOnTheBasicTree() throws {
    let layout = BuilderFixtures.esp8266(1_024_000, block: 8192)
    let files = try BuilderFixtures.files(tree: "basic", orderOf: "esp8266_4M1M_basic")
    let compact = try SPIFFSBuilder(layout: layout, format: .compact).build(files)
    let mkspiffs = try SPIFFSBuilder(layout: layout, format: .mkspiffs).build(files)
    #expect(compact.usedPages == mkspiffs.usedPages)  // same live pages, none wasted
    #expect(compact.freePages == mkspiffs.freePages + mkspiffs.deletedPages)
    #expect(compact.freeBytes > mkspiffs.freeBytes)
    #expect(compact.freeBytes == (31 * 123 - 821) * 251)
  }

  @Test func compactFillsExactlyUpToTheGCReserve() throws {
    // 1M128 (32 blocks of 15 object pages): E*(N-2) = 450 pages. One file of 449 data pages needs 449 + 1
    // header + 3 index pages (105 + 124*3 >= 449) = 453: too many; trim until it is exactly 450.
    let layout = BuilderFixtures.esp8266(131_072, block: 4096)
    var size = 449 * 251
    while layout.pagesNeeded(forFileOfSize: size) > 450 { size -= 251 }
    let fits = [SPIFFSFile(name: "/x", contents: [UInt8](repeating: 7, count: size))]
    let result = try SPIFFSBuilder(layout: layout, format: .compact).build(fits)
    #expect(result.usedPages == 450)
    #expect(result.freePages == 0)
    try Self.expectRoundTrip(fits, layout: layout, format: .compact)
    let tooMuch = fits + [SPIFFSFile(name: "/y", contents: [1])]
    #expect(throws: SPIFFSBuildError.self) { try SPIFFSBuilder(layout: layout, format: .compact).build(tooMuch) }
  }
}
