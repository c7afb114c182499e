import Foundation
import Testing
@testable import SPIFFS

/// mkspiffs-format builds against the vectors made by the real mkspiffs (MANIFEST.md): normalised sha256 and a
/// byte-for-byte comparison with the normalised vector.
@Suite struct BuilderGoldenTests {
  struct Vector: CustomStringConvertible, Sendable {
    var image: String
    var tree: String
    var layout: SPIFFSLayout
    var normalisedSHA256: String
    var description: String { image }
  }

  static let vectors: [Vector] = [
    Vector(image: "esp8266_4M1M_basic", tree: "basic", layout: BuilderFixtures.esp8266(1_024_000, block: 8192),
           normalisedSHA256: "c4bbca08621dbbc7bc68450fa66b5a51a7f697889b34fa993a0d149cd85c2c14"),
    Vector(image: "esp8266_1M128_small", tree: "small", layout: BuilderFixtures.esp8266(131_072, block: 4096),
           normalisedSHA256: "df9af6db4c402943abe37ee1ac333e9c08df2163a1c35b5d95d41375e72b2dbe"),
    Vector(image: "esp32_default_basic", tree: "basic", layout: BuilderFixtures.esp32(1_441_792),
           normalisedSHA256: "2e2d6bb7612ea6c723a764e4b209268fd163de16aa4a171d9f51c3ad20ef183e"),
    Vector(image: "esp8266_1M128_gcfill", tree: "gcfill", layout: BuilderFixtures.esp8266(131_072, block: 4096),
           normalisedSHA256: "0914daa11a1b56873ab164654f0f964da6fc4e8a5ebeda40599eb38116a49db5"),
  ]

  @Test(arguments: vectors)
  func mkspiffsBuildMatchesTheVector(_ vector: Vector) throws {
    let files = try BuilderFixtures.files(tree: vector.tree, orderOf: vector.image)
    let result = try SPIFFSBuilder(layout: vector.layout, format: .mkspiffs).build(files)
    let expected = normalisedMkspiffsImage(try BuilderFixtures.bytes("images/\(vector.image).bin"), layout: vector.layout)
    // The vector, normalised by us, must hash to the manifest's value: checks the normaliser itself.
    #expect(sha256Hex(expected) == vector.normalisedSHA256)
    let difference = firstDifference(result.image, expected, pageSize: vector.layout.pageSize)
    #expect(difference == nil, "\(vector.image): \(difference ?? "")")
    #expect(sha256Hex(result.image) == vector.normalisedSHA256)
  }

  @Test func gcfillRanGarbageCollectionAndKeepsTheErasedCounts() throws {
    let vector = Self.vectors[3]
    let files = try BuilderFixtures.files(tree: vector.tree, orderOf: vector.image)
    let result = try SPIFFSBuilder(layout: vector.layout, format: .mkspiffs).build(files)
    #expect(result.garbageCollections > 0)
    let layout = vector.layout
    var counts: [Int] = []
    for b in 0..<layout.blockCount {
      let offset = b * layout.blockSize + layout.eraseCountOffsetInBlock
      counts.append(Int(result.image[offset]) | Int(result.image[offset + 1]) << 8)
    }
    // MANIFEST: erase counts up to 46 (the listing's max_erase_count 47 is that plus one, set at mount).
    #expect(counts.max() == 46)
  }

  @Test func esp32DefaultUsesTheCompactionIDs() throws {
    let vector = Self.vectors[2]
    let files = try BuilderFixtures.files(tree: vector.tree, orderOf: vector.image)
    let result = try SPIFFSBuilder(layout: vector.layout, format: .mkspiffs).build(files)
    let expected: [UInt16] = (0..<files.count).map { (n: Int) -> UInt16 in UInt16(1 + 10 * n) }
    #expect(result.objectIDs == expected)
  }

  @Test func mkspiffsStatisticsMatchTheListing() throws {
    // 4M1M basic: 795 data + 26 index pages live, 764 deleted (§2.9).
    let vector = Self.vectors[0]
    let files = try BuilderFixtures.files(tree: vector.tree, orderOf: vector.image)
    let result = try SPIFFSBuilder(layout: vector.layout, format: .mkspiffs).build(files)
    #expect(result.usedPages == 795 + 26)
    #expect(result.deletedPages == 764)
    #expect(result.garbageCollections == 0)
    #expect(result.dataBytes == files.reduce(0) { $0 + $1.contents.count })
    #expect(result.freePages == 31 * 123 - 821 - 764)
    #expect(result.freeBytes == result.freePages * 251)
    // Without GC the page count is predictable from the sizes alone.
    let g = BuildGeometry(vector.layout)
    #expect(MkspiffsPageCount.pages(for: files, geometry: g) == result.usedPages + result.deletedPages)
  }

  @Test func basicDoesNotFitInto1M128() throws {
    let layout = BuilderFixtures.esp8266(131_072, block: 4096)
    let files = try BuilderFixtures.files(tree: "basic", orderOf: "esp8266_1M128_basic_overflow")
    let builder = SPIFFSBuilder(layout: layout, format: .mkspiffs)
    #expect {
      _ = try builder.build(files)
    } throws: { error in
      guard case .doesNotFit(let needed, let capacity, let failedAt) = error as? SPIFFSBuildError else { return false }
      // mkspiffs ran out while writing /blob.bin (MANIFEST); the tree needs far more than 128 KiB without GC.
      return failedAt == "/blob.bin" && capacity == 131_072 && needed > 2 * capacity
        && needed == builder.requiredImageBytes(for: files)
    }
  }
}

extension BuilderGoldenTests {
  /// mkspiffs writes its image even after `SPIFFS_ERR_FULL`: the failed append released the write cache, so
  /// the image is the flash as it stood when the GC check gave up (blob.bin at 91648 bytes). The packer's
  /// state at its own FlashFull must be that image, GC passes and all.
  @Test func packerStateAtFullMatchesTheOverflowVector() throws {
    let layout = BuilderFixtures.esp8266(131_072, block: 4096)
    let files = try BuilderFixtures.files(tree: "basic", orderOf: "esp8266_1M128_basic_overflow")
    var packer = MkspiffsPacker(layout: layout)
    var failedAt: String?
    for file in files {
      do { _ = try packer.add(file) } catch {
        failedAt = file.name
        break
      }
    }
    #expect(failedAt == "/blob.bin")
    let image = packer.flash.finishedImage()
    let expected = normalisedMkspiffsImage(try BuilderFixtures.bytes("images/esp8266_1M128_basic_overflow.bin"), layout: layout)
    #expect(sha256Hex(expected) == "921b2ea58258f9ffdf618ec5492ca3334e53a37c3c193e5e2052a93fcc81c419")
    let difference = firstDifference(image, expected, pageSize: 256)
    #expect(difference == nil, "\(difference ?? "")")
    print("overflow: \(packer.gcPasses) GC passes before SPIFFS_ERR_FULL")
  }
}
