/// Space and wear figures, computed the way SPIFFS's mount scan and `SPIFFS_info` compute them.
public struct SPIFFSUsage: Hashable, Sendable {
  public var blockCount: Int
  public var pagesPerBlock: Int
  public var lookupPagesPerBlock: Int
  /// Object pages in the image (`N * E`).
  public var objectPages: Int
  /// Lookup entries that name an object (SPIFFS `stats_p_allocated`).
  public var usedPages: Int
  /// Lookup entries 0x0000 (SPIFFS `stats_p_deleted`); garbage collection turns them back into free pages.
  public var deletedPages: Int
  /// Lookup entries 0xFFFF.
  public var freePages: Int
  /// Blocks whose first lookup entry is free (SPIFFS `free_blocks`).
  public var freeBlocks: Int
  /// Lowest and highest stored erase count, ignoring 0xFFFF (erased, never formatted).
  public var eraseCountMin: Int?
  public var eraseCountMax: Int?
  /// The erase count SPIFFS will give the next erased block (`max_erase_count` after mount, §1.2).
  public var nextEraseCount: Int
  /// `SPIFFS_info` total: `((N - 2) * E + 1) * (P - 5)` (two blocks are kept free for GC, plus one page).
  public var totalBytes: Int
  /// `SPIFFS_info` used: allocated pages × (P − 5).
  public var usedBytes: Int
  public var fileCount: Int
  /// Sum of the listed files' sizes.
  public var fileBytes: Int
  /// The largest file that can be created without garbage collection: SPIFFS only writes while
  /// `E * (N - 2) - used - deleted` pages remain (its GC check, §2.7), and a file needs one header, one data
  /// page per `P - 5` bytes and one more index page per 124 data pages past the header's table (§1.6).
  public var largestNewFile: Int
  /// The same once GC has reclaimed every deleted page (what a device can reach by deleting nothing else).
  public var largestNewFileAfterGC: Int
  /// Blocks without the layout's magic.
  public var badMagicBlocks: [Int]

  public var freeBytes: Int { max(0, totalBytes - usedBytes) }
}

extension SPIFFSImage {
  public func usage() -> SPIFFSUsage {
    let n = layout.blockCount
    let e = layout.objectPagesPerBlock
    var used = 0, deleted = 0, free = 0, freeBlocks = 0
    for (slot, value) in lookup.enumerated() {
      switch value {
      case 0xFFFF:
        free += 1
        if slot % e == 0 { freeBlocks += 1 }
      case 0: deleted += 1
      default: used += 1
      }
    }
    var low: Int?, high: Int?
    for block in 0..<n {
      let count = Int(eraseCount(block: block))
      guard count != 0xFFFF else { continue }
      low = min(low ?? count, count)
      high = max(high ?? count, count)
    }
    // spiffs_obj_lu_scan: a clean system counts from 0; a spread over half the range means wrap-around.
    let next: Int
    if let low, let high {
      next = (high - low > 0x7FFF ? low + 1 : high + 1) & 0xFFFF
    } else {
      next = 0
    }
    let files = entries()
    let reserve = e * (n - 2)
    return SPIFFSUsage(
      blockCount: n, pagesPerBlock: layout.pagesPerBlock, lookupPagesPerBlock: layout.lookupPagesPerBlock,
      objectPages: n * e, usedPages: used, deletedPages: deleted, freePages: free, freeBlocks: freeBlocks,
      eraseCountMin: low, eraseCountMax: high, nextEraseCount: next,
      totalBytes: max(0, (reserve + 1) * layout.dataBytesPerPage), usedBytes: used * layout.dataBytesPerPage,
      fileCount: files.count, fileBytes: files.reduce(0) { $0 + $1.size },
      largestNewFile: layout.largestFile(inPages: reserve - used - deleted),
      largestNewFileAfterGC: layout.largestFile(inPages: reserve - used),
      badMagicBlocks: blocksWithBadMagic())
  }
}

extension SPIFFSLayout {
  /// The largest file size whose pages fit in `pages` free pages (0 when not even a header fits).
  public func largestFile(inPages pages: Int) -> Int {
    guard pages >= 1 else { return 0 }
    var data = pages - 1
    // Each step removes at least one data page; the loop ends within pages/124 + 1 steps.
    while data > 0, 1 + data + extraIndexPages(forDataPages: data) > pages { data -= 1 }
    return data * dataBytesPerPage
  }
}
