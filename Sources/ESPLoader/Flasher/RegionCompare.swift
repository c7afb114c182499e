/// Which parts of the flash already hold the image, found by asking the loader for MD5s instead of reading
/// (SPI_FLASH_MD5: ESP32-family ROMs and every stub, not the ESP8266 ROM; `rom-protocol.md` §2).
public struct RegionComparison: Sendable, Equatable {
  /// Image-relative sector ranges whose flash differs from the image (empty: the flash holds the image).
  public var differingSectors: [Range<Int>]
  /// SPI_FLASH_MD5 commands sent.
  public var queries: Int

  public var isUnchanged: Bool { differingSectors.isEmpty }
}

extension Flasher {
  /// Coarse-to-fine MD5 comparison: the whole region first (one query when nothing changed), then 64 KiB
  /// chunks, then the 4 KiB sectors of the chunks that differ. A small edit costs about
  /// `1 + size/64 KiB + 16 × changed chunks` queries of ~60 bytes each way, instead of re-sending the region.
  public func compareRegions(_ image: [UInt8], at offset: UInt32) throws(LoaderError) -> RegionComparison {
    var queries = 0
    func differs(_ range: Range<Int>) throws(LoaderError) -> Bool {
      queries += 1
      let flash = try flashMD5(offset: offset + UInt32(range.lowerBound), size: range.count)
      return flash != MD5.digest(Array(image[range]))
    }
    let sector = WritePlan.sectorSize
    let sectorCount = (image.count + sector - 1) / sector
    guard sectorCount > 0, try differs(0..<image.count) else {
      return RegionComparison(differingSectors: [], queries: queries)
    }
    let chunkSectors = Self.compareChunkSize / sector
    var changed: [Int] = []
    for chunk in stride(from: 0, to: sectorCount, by: chunkSectors) {
      let chunkEnd = min(sectorCount, chunk + chunkSectors)
      let bytes = (chunk * sector)..<min(image.count, chunkEnd * sector)
      // One chunk covering the whole image was just compared.
      if chunkSectors < sectorCount, try !differs(bytes) { continue }
      for s in chunk..<chunkEnd {
        if try differs((s * sector)..<min(image.count, (s + 1) * sector)) { changed.append(s) }
      }
    }
    return RegionComparison(differingSectors: Self.runs(of: changed), queries: queries)
  }

  /// The middle level of `compareRegions`: a 64 KiB flash block.
  public static let compareChunkSize = 0x10000

  /// Sorted indexes as half-open runs.
  static func runs(of indexes: [Int]) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    for i in indexes {
      if let last = runs.last, last.upperBound == i {
        runs[runs.count - 1] = last.lowerBound..<(i + 1)
      } else {
        runs.append(i..<(i + 1))
      }
    }
    return runs
  }
}
