import Testing
@testable import SPIFFS

/// mkspiffs packing near the limit: garbage collection must leave every file readable, and a set that does
/// not fit must fail with `.doesNotFit`, never with a broken image.
@Suite struct BuilderCrowdedTests {
  @Test(arguments: 0..<RandomTrees.layouts.count)
  func crowdedMkspiffsBuildsCollectGarbageAndReadBack(layoutIndex: Int) throws {
    let layout = RandomTrees.layouts[layoutIndex]
    var collected = 0
    var refused = 0
    for seed in UInt64(300)...311 {
      let files = RandomTrees.tree(seed: seed, layout: layout, maxFiles: 40, budgetFraction: 0.5 + Double(seed % 4) * 0.1)
      do {
        let result = try SPIFFSBuilder(layout: layout, format: .mkspiffs).build(files)
        if result.garbageCollections > 0 { collected += 1 }
        try BuilderCompactTests.expectRoundTrip(files, layout: layout, format: .mkspiffs, seed: seed)
      } catch let error as SPIFFSBuildError {
        guard case .doesNotFit(let needed, let capacity, _) = error else {
          Issue.record("seed \(seed): \(error)")
          continue
        }
        #expect(needed > capacity, "seed \(seed)")
        refused += 1
      }
    }
    print("layout \(layout): \(collected) builds with GC, \(refused) refused")
    #expect(collected > 0)
  }
}

extension BuilderCrowdedTests {
  /// The incremental per-block counters that GC scoring and allocation use must equal a fresh count of the
  /// lookup entries before each block's first free one, after any amount of GC.
  @Test func incrementalBlockCountersMatchAFreshCount() throws {
    let layout = RandomTrees.layouts[0]
    for seed in UInt64(400)...403 {
      var packer = MkspiffsPacker(layout: layout)
      for file in RandomTrees.tree(seed: seed, layout: layout, maxFiles: 40, budgetFraction: 0.6) {
        guard (try? packer.add(file)) != nil else { break }
      }
      let e = layout.objectPagesPerBlock
      for b in 0..<layout.blockCount {
        let entries = packer.flash.lookup[(b * e)..<(b * e + e)]
        let first = entries.firstIndex(of: 0xFFFF).map { $0 - b * e } ?? e
        let before = entries.prefix(first)
        #expect(packer.flash.firstFree[b] == first, "seed \(seed) block \(b)")
        #expect(packer.flash.deadBeforeFree[b] == before.filter { $0 == 0 }.count, "seed \(seed) block \(b)")
        #expect(packer.flash.usedBeforeFree[b] == before.filter { $0 != 0 }.count, "seed \(seed) block \(b)")
      }
      #expect(packer.gcPasses > 0, "seed \(seed)")
    }
  }
}
