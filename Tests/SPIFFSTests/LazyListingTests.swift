import Foundation
import SPIFFS
import Testing

/// `SPIFFSImage.entries(in:layout:)` (the listing `fs ls` runs on a mapped file) against the full reader, on
/// every SPIFFS vector in testdata/spiffs: the eight reference images and the regression images.
@Suite struct LazyListingTests {
  struct Vector: Sendable, CustomStringConvertible {
    var name: String
    var path: String
    var layout: SPIFFSLayout
    var description: String { name }
  }

  static let vectors: [Vector] =
    ReaderFixtures.images.map { Vector(name: $0.name, path: "images/\($0.name).bin", layout: $0.layout) }
    + [RegressionImageTests.dupindex, RegressionImageTests.halfdeleted].map {
      Vector(name: $0.name, path: "regressions/\($0.name).bin", layout: $0.layout)
    }

  static func bytes(_ v: Vector) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: ReaderFixtures.root.appendingPathComponent(v.path)))
  }

  /// `bytes` with every page a listing must not need overwritten: all but the lookup pages of each block and
  /// the object pages whose lookup entry has the index bit.
  static func keepingOnlyListingPages(_ bytes: [UInt8], _ layout: SPIFFSLayout) -> (bytes: [UInt8], poisoned: Int) {
    var out = bytes
    var poisoned = 0
    for block in 0..<layout.blockCount {
      for entry in 0..<layout.objectPagesPerBlock {
        let o = block * layout.blockSize + entry * 2
        let value = UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8
        guard value & 0x8000 == 0 || value == 0xFFFF else { continue }
        let start = layout.pageIndex(block: block, entry: entry) * layout.pageSize
        for i in start..<start + layout.pageSize { out[i] = UInt8(truncatingIfNeeded: i &* 0x9E) ^ 0x5A }
        poisoned += 1
      }
    }
    return (out, poisoned)
  }

  @Test(arguments: vectors)
  func lazyListingEqualsTheFullListing(_ v: Vector) throws {
    let bytes = try Self.bytes(v)
    let full = try SPIFFSImage(bytes: bytes, layout: v.layout).entries()
    #expect(full.count > 0)
    let lazy = try bytes.withUnsafeBytes { try SPIFFSImage.entries(in: $0, layout: v.layout) }
    #expect(lazy == full)
    // The lazy listing reads nothing else: garbage in every other page changes nothing.
    let (kept, poisoned) = Self.keepingOnlyListingPages(bytes, v.layout)
    #expect(poisoned > v.layout.blockCount)
    #expect(try kept.withUnsafeBytes { try SPIFFSImage.entries(in: $0, layout: v.layout) } == full)
    let magic = try bytes.withUnsafeBytes { try SPIFFSImage.blocksWithBadMagic(in: $0, layout: v.layout) }
    #expect(magic == (try SPIFFSImage(bytes: bytes, layout: v.layout).blocksWithBadMagic()))
  }

  @Test(arguments: ReaderFixtures.images)
  func lazyListingMatchesTheRealSPIFFSListing(_ image: ReaderFixtures.Image) throws {
    let expected = try ReaderFixtures.listing(image).rows
    let lazy = try ReaderFixtures.bytes(image).withUnsafeBytes { try SPIFFSImage.entries(in: $0, layout: image.layout) }
    #expect(lazy.map { [Int($0.objectID), $0.headerPage, $0.size] } == expected.map { [Int($0.id), $0.headerPage, $0.size] })
    #expect(lazy.map(\.nameBytes) == expected.map(\.name))
  }

  @Test func aShortBufferIsRefusedLikeTheFullReader() throws {
    let v = Self.vectors[0]
    let bytes = Array(try Self.bytes(v).prefix(v.layout.blockSize * 3))
    #expect(throws: SPIFFSReadError.truncated(imageBytes: bytes.count, neededBytes: v.layout.imageSize / v.layout.blockSize
      * v.layout.blockSize, layout: v.layout)) {
      try bytes.withUnsafeBytes { try SPIFFSImage.entries(in: $0, layout: v.layout) }
    }
  }

  @Test func detectionOnMappedBytesEqualsDetectionOnAnArray() throws {
    for v in Self.vectors {
      let bytes = try Self.bytes(v)
      let array = SPIFFSLayoutDetector.candidates(for: bytes)
      let raw = bytes.withUnsafeBytes { SPIFFSLayoutDetector.candidates(for: $0) }
      #expect(raw == array, "\(v.name)")
      let fromRaw = bytes.withUnsafeBytes { raw in
        Result<LayoutCandidate, SPIFFSReadError> { () throws(SPIFFSReadError) in try SPIFFSLayoutDetector.detect(raw) }
      }
      #expect(fromRaw == Result { () throws(SPIFFSReadError) in try SPIFFSLayoutDetector.detect(bytes) }, "\(v.name)")
    }
  }
}
