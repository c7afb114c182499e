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
  /// The largest file one `SPIFFS_write` into a new file can store now, with no garbage collection freeing
  /// anything: see `SPIFFSLayout.largestNewFile`. Empty images give what the real SPIFFS writes at most
  /// (esp32 default 1,297,168 bytes, ESP8266 4M1M 942,003, 1M128 111,444, 512K32 22,088).
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
      largestNewFile: layout.largestNewFile(allocatablePages: allocatablePages(),
                                            gcFreePages: reserve - used - deleted),
      largestNewFileAfterGC: layout.largestNewFile(allocatablePages: reserve + 1 - used, gcFreePages: reserve - used),
      badMagicBlocks: blocksWithBadMagic())
  }
}

extension SPIFFSImage {
  /// Pages SPIFFS hands out from a fresh mount before it refuses: `spiffs_obj_lu_find_free` takes free lookup
  /// entries in order from block 0, entry 0, and returns SPIFFS_ERR_FULL once fewer than two blocks are
  /// untouched (entry 0 free), so the last two free blocks are never entered beyond their first page.
  func allocatablePages() -> Int {
    let e = layout.objectPagesPerBlock
    var untouched = 0
    for block in 0..<layout.blockCount where lookup[block * e] == SPIFFSObjectID.free { untouched += 1 }
    var pages = 0
    for (slot, value) in lookup.enumerated() where value == SPIFFSObjectID.free {
      guard untouched >= 2 else { break }
      pages += 1
      if slot % e == 0 { untouched -= 1 }
    }
    return pages
  }
}

extension SPIFFSLayout {
  /// The largest file one `SPIFFS_write` of the whole content into a new file stores, as SPIFFS allocates it
  /// (spiffs_nucleus.c, `spiffs_object_append` and `spiffs_gc_check`):
  /// - the append first asks `spiffs_gc_check(len + P-5)`, which fails unless `len + P-5` bytes fit in
  ///   `gcFreePages` (= `E * (N-2) - allocated - deleted`, counted after the header took one page);
  /// - it then allocates the header, one page per `P-5` bytes, one index page per 124 data pages past the
  ///   header's table, and moves the header (one more page; the old copy only becomes deleted) each time it
  ///   leaves an index page past the header and once at the end: `1 + data + 2 * indexPages` pages, all of
  ///   which must come out of `allocatablePages`.
  /// Garbage collection does not run in the middle of an append, so deleted pages made there stay unusable.
  public func largestNewFile(allocatablePages: Int, gcFreePages: Int) -> Int {
    var data = min(gcFreePages - 2, allocatablePages - 1)
    guard data > 0 else { return 0 }
    // Each step removes one data page; index pages shrink by one per 124, so this ends within ~pages/62 steps.
    while data > 0, 1 + data + 2 * extraIndexPages(forDataPages: data) > allocatablePages { data -= 1 }
    return data * dataBytesPerPage
  }
}
