import Testing
@testable import SPIFFS

/// Name, metadata, layout and capacity errors: each names the offender and carries the numbers.
@Suite struct BuilderErrorTests {
  let layout = BuilderFixtures.esp8266(131_072, block: 4096)

  func error(_ files: [SPIFFSFile], format: SPIFFSImageFormat = .compact, layout: SPIFFSLayout? = nil) -> SPIFFSBuildError? {
    do {
      _ = try SPIFFSBuilder(layout: layout ?? self.layout, format: format).build(files)
      return nil
    } catch {
      return error
    }
  }

  @Test func everyOverlongNameIsListedWithItsLength() {
    let ok31 = "/" + String(repeating: "a", count: 30)
    let long32 = "/" + String(repeating: "b", count: 31)
    let umlauts = "/" + String(repeating: "ü", count: 16)  // 33 bytes in UTF-8, 17 characters
    let files = [ok31, long32, "/fine", umlauts].map { SPIFFSFile(name: $0, contents: [1]) }
    for format in SPIFFSImageFormat.allCases {
      let got = error(files, format: format)
      #expect(got == .namesTooLong([.init(name: long32, length: 32), .init(name: umlauts, length: 33)], limit: 31))
      #expect(got?.description.contains("(33 bytes)") == true)
    }
  }

  @Test(arguments: [("", "empty"), ("nofolder.txt", "start with /"), ("/a\u{0}b", "NUL")])
  func invalidNamesAreRefused(name: String, reason: String) {
    guard case .invalidName(let got, let why)? = error([SPIFFSFile(name: name, contents: [])]) else {
      Issue.record("expected invalidName for \(name.debugDescription)")
      return
    }
    #expect(got == name)
    #expect(why.contains(reason))
  }

  @Test func duplicatesAreRefused() {
    let files = [SPIFFSFile(name: "/a", contents: [1]), SPIFFSFile(name: "/b", contents: []), SPIFFSFile(name: "/a", contents: [])]
    #expect(error(files) == .duplicateName("/a"))
  }

  @Test func metadataMustMatchTheLayout() {
    let esp32 = BuilderFixtures.esp32(0x160000)
    let files = [SPIFFSFile(name: "/m", contents: [1], metadata: [1, 2])]
    #expect(error(files, layout: esp32) == .invalidMetadata(name: "/m", length: 2, expected: 4))
    // Given metadata is stored as is.
    let good = [SPIFFSFile(name: "/m", contents: [1], metadata: [0x10, 0x20, 0x30, 0x40])]
    let image = try? SPIFFSBuilder(layout: esp32, format: .compact).build(good).image
    let base = 1 * 256 + esp32.indexHeaderMetadataOffset
    #expect(image.map { Array($0[base..<(base + 4)]) } == [0x10, 0x20, 0x30, 0x40])
  }

  @Test func invalidLayoutIsReported() {
    let tiny = BuilderFixtures.esp8266(8192, block: 4096)
    guard case .invalidLayout(let inner)? = error([], layout: tiny) else {
      Issue.record("expected invalidLayout")
      return
    }
    #expect(inner.reason.contains("at least 3"))
  }

  @Test(arguments: SPIFFSImageFormat.allCases)
  func emptyFileSetBuildsAnEmptyFileSystem(format: SPIFFSImageFormat) throws {
    let result = try SPIFFSBuilder(layout: layout, format: format).build([])
    #expect(try readBack(result.image, layout: layout).isEmpty)
    #expect(result.usedPages == 0)
    #expect(result.freePages == 15 * 30)
  }

  /// The compact need is exact: a layout of exactly `requiredImageBytes` takes the files, one block less
  /// does not, and the error reports the same number.
  @Test(arguments: 0..<RandomTrees.layouts.count)
  func compactRequiredBytesIsExact(layoutIndex: Int) throws {
    let base = RandomTrees.layouts[layoutIndex]
    for seed in UInt64(100)...106 {
      let files = RandomTrees.tree(seed: seed, layout: base, maxFiles: 30, budgetFraction: 0.6)
      let builder = SPIFFSBuilder(layout: base, format: .compact)
      let needed = builder.requiredImageBytes(for: files)
      var exact = base
      exact.imageSize = needed
      _ = try SPIFFSBuilder(layout: exact, format: .compact).build(files)
      var smaller = base
      smaller.imageSize = needed - base.blockSize
      guard smaller.blockCount >= 3 else { continue }
      let got = error(files, layout: smaller)
      guard case .doesNotFit(let reportedNeed, let capacity, _)? = got else {
        Issue.record("seed \(seed): expected doesNotFit, got \(String(describing: got))")
        continue
      }
      #expect(reportedNeed == needed, "seed \(seed)")
      #expect(capacity == needed - base.blockSize, "seed \(seed)")
    }
  }

  /// The mkspiffs estimate is the size at which mkspiffs packs without garbage collection.
  @Test(arguments: 0..<RandomTrees.layouts.count)
  func mkspiffsRequiredBytesPacksWithoutGC(layoutIndex: Int) throws {
    let base = RandomTrees.layouts[layoutIndex]
    for seed in UInt64(200)...205 {
      let files = RandomTrees.tree(seed: seed, layout: base, maxFiles: 30, budgetFraction: 0.3)
      var exact = base
      exact.imageSize = SPIFFSBuilder(layout: base, format: .mkspiffs).requiredImageBytes(for: files)
      let result = try SPIFFSBuilder(layout: exact, format: .mkspiffs).build(files)
      #expect(result.garbageCollections == 0, "seed \(seed)")
      #expect(result.usedPages + result.deletedPages == MkspiffsPageCount.pages(for: files, geometry: BuildGeometry(exact)),
              "seed \(seed)")
    }
  }

  @Test func doesNotFitDescriptionCarriesTheNumbers() {
    let files = [SPIFFSFile(name: "/big", contents: [UInt8](repeating: 0, count: 200_000))]
    guard let got = error(files), case .doesNotFit(let needed, let capacity, let at) = got else {
      Issue.record("expected doesNotFit")
      return
    }
    #expect(at == "/big")
    #expect(capacity == 131_072)
    #expect(got.description.contains("\(needed) bytes"))
    #expect(got.description.contains("131072 bytes"))
  }
}

/// Object ids against a literal reading of §4 (rescanning every id for each range, as SPIFFS does).
@Suite struct BuilderObjectIDTests {
  static func reference(used: Set<Int>, blocks: Int, entries: Int, page: Int) -> Int? {
    var lo = 1
    var hi = blocks * entries / 2 + 1
    if hi & 0x8000 != 0 { hi = 0x7FFF }
    while true {
      if hi - lo <= page * 8 {
        return (lo..<(lo + page * 8)).first { $0 < 0x7FFF && !used.contains($0) }
      }
      let c = (hi - lo) / page
      var counts = [Int](repeating: 0, count: page)
      for id in used where id >= lo && id <= hi && (id - lo) / c < page { counts[(id - lo) / c] += 1 }
      var minIndex = 0
      for i in 0..<page where counts[i] < counts[minIndex] { minIndex = i }
      if counts[minIndex] == c { return nil }
      if counts[minIndex] == 0 { return lo + minIndex * c }
      lo += minIndex * c
      hi = lo + c
    }
  }

  @Test(arguments: [
    SPIFFSLayout(platform: .esp8266, imageSize: 0xDFA000, blockSize: 8192),  // 16M14M, c = 108
    SPIFFSLayout(platform: .esp32, imageSize: 0x160000, blockSize: 4096),  // default, c = 10
    SPIFFSLayout(platform: .esp8266, imageSize: 0xFA000, blockSize: 8192),  // 4M1M, bitmap
  ])
  func allocatorFollowsTheReferenceBeyond256Files(layout: SPIFFSLayout) {
    let g = BuildGeometry(layout)
    var allocator = ObjectIDAllocator(geometry: g)
    var used = Set<Int>()
    for n in 0..<700 {
      let want = Self.reference(used: used, blocks: g.blocks, entries: g.entries, page: g.pageSize)
      let got = allocator.next().map(Int.init)
      #expect(got == want, "file \(n) in \(layout)")
      guard let id = got else { break }
      allocator.markUsed(UInt16(id))
      used.insert(id)
    }
  }

  @Test func tooManyFilesIsRefused() {
    let layout = SPIFFSLayout(platform: .esp8266, imageSize: 0xDFA000, blockSize: 8192)
    let files = (0..<0x7FFF).map { SPIFFSFile(name: "/\($0)", contents: []) }
    #expect(throws: SPIFFSBuildError.tooManyFiles(count: 0x7FFF, limit: 0x7FFE)) {
      _ = try SPIFFSBuilder(layout: layout).build(files)
    }
  }
}

extension BuilderObjectIDTests {
  /// 4M1M is in bitmap mode: SPIFFS looks for ids in 1 … 2048 only, so mkspiffs cannot create a 2049th file
  /// although pages are left; the compact format numbers files itself and takes them.
  @Test func mkspiffsRunsOutOfIDsBeforePages() throws {
    let layout = SPIFFSLayout(platform: .esp8266, imageSize: 0xFA000, blockSize: 8192)
    let files = (0..<2049).map { SPIFFSFile(name: "/e\($0)", contents: []) }
    #expect(throws: SPIFFSBuildError.tooManyFiles(count: 2049, limit: 2048)) {
      _ = try SPIFFSBuilder(layout: layout, format: .mkspiffs).build(files)
    }
    let compact = try SPIFFSBuilder(layout: layout, format: .compact).build(files)
    #expect(compact.objectIDs.last == 2049)
  }
}
