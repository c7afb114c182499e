/// A SPIFFS partition known only in parts: what has been read from a board, 0xFF (erased) everywhere else.
///
/// It says which byte ranges matter for each question, in the order they become answerable: the lookup
/// entries and magic of every block first (`lookupRanges`), then from those the index pages
/// (`indexHeaderRanges`, `objectRanges`) or the blocks in use (`blocksInUse`). The caller reads those
/// ranges from the device and `fill`s them in; `image()` then hands the bytes to the ordinary reader
/// (`SPIFFSImage`), so a listing from a partial read is computed by the same code as one from a full read.
/// Pure: no I/O here.
public struct SPIFFSSparseImage: Sendable {
  public let layout: SPIFFSLayout
  /// `layout.imageSize` bytes; unread bytes are 0xFF.
  public private(set) var bytes: [UInt8]
  /// Ranges filled so far, sorted and merged.
  public private(set) var loaded: [Range<Int>] = []

  public init(layout: SPIFFSLayout) {
    self.layout = layout
    bytes = [UInt8](repeating: 0xFF, count: layout.imageSize)
  }

  /// Bytes filled in so far.
  public var loadedBytes: Int { loaded.reduce(0) { $0 + $1.count } }

  /// Puts bytes read from the device at `range`.
  public mutating func fill(_ range: Range<Int>, with data: [UInt8]) {
    precondition(data.count == range.count && range.upperBound <= bytes.count, "fill out of range")
    bytes.replaceSubrange(range, with: data)
    loaded = Self.merge(loaded + [range])
  }

  /// The parts of `ranges` not read yet, merged where they touch.
  public func missing(_ ranges: [Range<Int>]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    for range in Self.merge(ranges) {
      var start = range.lowerBound
      for done in loaded where done.upperBound > start && done.lowerBound < range.upperBound {
        if done.lowerBound > start { out.append(start..<done.lowerBound) }
        start = max(start, done.upperBound)
      }
      if start < range.upperBound { out.append(start..<range.upperBound) }
    }
    return out
  }

  // MARK: What to read (spiffs-format.md §1.2, §1.5, §1.8)

  /// Per block: the lookup entries (2 bytes per object page) and the magic + erase count at the end of the
  /// lookup area. The unused slots between them stay 0xFFFF on every SPIFFS (§1.2) and are not needed.
  public var lookupRanges: [Range<Int>] {
    (0..<layout.blockCount).flatMap { block -> [Range<Int>] in
      let base = block * layout.blockSize
      let entries = base..<(base + layout.objectPagesPerBlock * 2)
      let tail = (base + layout.magicOffsetInBlock)..<(base + layout.lookupPagesPerBlock * layout.pageSize)
      // Two reads cost more than the few bytes between them when they nearly touch.
      return tail.lowerBound - entries.upperBound <= 16 ? [entries.lowerBound..<tail.upperBound] : [entries, tail]
    }
  }

  /// The lookup value of `entry` in `block`, from the bytes read so far.
  public func lookupValue(block: Int, entry: Int) -> UInt16 {
    let offset = block * layout.blockSize + entry * 2
    return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }

  /// Object pages whose lookup value satisfies `wanted`.
  func pages(where wanted: (UInt16) -> Bool) -> [Int] {
    var pages: [Int] = []
    for block in 0..<layout.blockCount {
      for entry in 0..<layout.objectPagesPerBlock where wanted(lookupValue(block: block, entry: entry)) {
        pages.append(layout.pageIndex(block: block, entry: entry))
      }
    }
    return pages
  }

  /// The header struct (page header, size, type, name, metadata) of every page the lookup marks as an index
  /// page: all `SPIFFSImage.entries()` looks at. Needs `lookupRanges` filled.
  public var indexHeaderRanges: [Range<Int>] {
    let length = layout.indexHeaderSize
    return pages { $0 != 0xFFFF && $0 & 0x8000 != 0 }.map { $0 * layout.pageSize..<($0 * layout.pageSize + length) }
  }

  /// Every page the lookup gives to object `id` (its index pages and data pages): what reading that file
  /// needs. Needs `lookupRanges` filled.
  public func objectRanges(objectID id: UInt16) -> [Range<Int>] {
    pages { $0 != 0xFFFF && $0 != 0 && $0 & 0x7FFF == id }.map { $0 * layout.pageSize..<($0 + 1) * layout.pageSize }
  }

  /// Blocks whose lookup has any entry other than free (0xFFFF): pages in use, or deleted pages that still
  /// hold bytes. Needs `lookupRanges` filled.
  public var blocksInUse: [Int] {
    (0..<layout.blockCount).filter { block in
      (0..<layout.objectPagesPerBlock).contains { lookupValue(block: block, entry: $0) != 0xFFFF }
    }
  }

  /// The byte ranges of `blocks`, merged.
  public func ranges(ofBlocks blocks: [Int]) -> [Range<Int>] {
    Self.merge(blocks.map { $0 * layout.blockSize..<($0 + 1) * layout.blockSize })
  }

  /// Maximal runs of blocks not in `blocks` (plus the bytes after the last whole block): what a download
  /// fills in as erased and checks by one MD5 each.
  public func ranges(outside blocks: [Int]) -> [Range<Int>] {
    let used = Set(blocks)
    let free = (0..<layout.blockCount).filter { !used.contains($0) }
    var runs = ranges(ofBlocks: free)
    let tail = layout.blockCount * layout.blockSize
    if tail < layout.imageSize { runs = Self.merge(runs + [tail..<layout.imageSize]) }
    return runs
  }

  /// The bytes as an image for the ordinary reader.
  public func image() throws(SPIFFSReadError) -> SPIFFSImage {
    try SPIFFSImage(bytes: bytes, layout: layout)
  }

  /// Sorted, with touching or overlapping ranges joined.
  public static func merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
      if let last = out.last, range.lowerBound <= last.upperBound {
        out[out.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
      } else {
        out.append(range)
      }
    }
    return out
  }
}
