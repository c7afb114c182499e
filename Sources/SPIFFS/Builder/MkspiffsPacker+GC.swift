/// Garbage collection as mkspiffs' SPIFFS runs it while packing (§3; `spiffs_gc.c`).
///
/// Constants from `spiffs_config.h` defaults: `SPIFFS_GC_HEUR_W_DELET` 5, `SPIFFS_GC_HEUR_W_USED` -1,
/// `SPIFFS_GC_HEUR_W_ERASE_AGE` 50. The pass limit is the layout's `gcMaxRuns` (5 ESP8266, 10 ESP32).
extension MkspiffsPacker {
  /// `spiffs_gc_check(fs, len)`: nothing while more than 3 blocks are untouched and `len` fits the free pages;
  /// otherwise up to `gcMaxRuns` passes, each cleaning and erasing the best-scoring block.
  mutating func gcCheck(length: Int) throws(FlashFull) {
    let perPage = geometry.dataPerPage
    var freePages = flash.freePagesForGC
    if flash.freeBlocks > 3 && length < freePages * perPage { return }

    let needed = (length + perPage - 1) / perPage
    if needed > freePages + flash.deleted { throw FlashFull() }

    var tries = 0
    repeat {
      let previousFree = freePages
      // A crammed file system ignores block age when choosing.
      guard let victim = bestCandidate(ignoringAge: freePages <= 0) else {
        if needed < freePages { return }
        throw FlashFull()
      }
      gcPasses += 1
      flash.cleaning = true
      defer { flash.cleaning = false }
      try clean(block: victim)
      flash.cleaning = false
      dropStatistics(ofBlock: victim)
      flash.erase(block: victim)
      freePages = flash.freePagesForGC
      if previousFree <= 0 && previousFree == freePages { break }  // early abort, nothing gained
      tries += 1
    } while tries < flash.layout.gcMaxRuns && (flash.freeBlocks <= 2 || length > freePages * perPage)

    if length > flash.freePagesForGC * perPage { throw FlashFull() }
  }

  /// `spiffs_gc_find_candidate`: score = 5*deleted - used + 50*erase age over the entries before the first
  /// free one; the highest score wins, the lower block on a tie. Every block is a candidate.
  func bestCandidate(ignoringAge: Bool) -> Int? {
    var best: Int?
    var bestScore = Int.min
    let maxCount = flash.maxEraseCount
    for b in 0..<geometry.blocks {
      let count = flash.eraseCounts[b]
      let age: UInt16 = maxCount > count ? maxCount &- count : 0xFFFF &- (count &- maxCount)
      let score = flash.deadBeforeFree[b] * 5 - flash.usedBeforeFree[b] + (ignoringAge ? 0 : Int(age) * 50)
      if score > bestScore {
        bestScore = score
        best = b
      }
    }
    return best
  }

  /// `spiffs_gc_erase_page_stats`: forget the block's pages before it is erased.
  mutating func dropStatistics(ofBlock b: Int) {
    for i in 0..<geometry.entries {
      let v = flash.lookup[b * geometry.entries + i]
      if v == SPIFFSObjectID.deleted { flash.deleted -= 1 } else if v != SPIFFSObjectID.free { flash.allocated -= 1 }
    }
  }

  /// `spiffs_gc_clean`: evacuates every live page of block `b`. Data pages move per (object, index page):
  /// take the first live data page, load its index page into `work`, move all data pages of the block that
  /// this index page covers, store the index page (a header through a header move). Then the remaining
  /// index pages are copied out.
  mutating func clean(block b: Int) throws(FlashFull) {
    let e = geometry.entries
    if flash.cursorBlock == b {
      flash.cursorBlock = (b + 1) % geometry.blocks
      flash.cursorEntry = 0
    }
    var entry = 0
    while true {
      // FIND_OBJ_DATA
      var found: Int?
      while entry < e {
        let v = flash.lookup[b * e + entry]
        entry += 1
        if SPIFFSObjectID.isInUse(v), !SPIFFSObjectID.isIndex(v) {
          found = entry - 1
          break
        }
      }
      guard let foundEntry = found else { break }
      let resume = entry
      let objectID = flash.lookup[b * e + foundEntry]
      let foundPage = geometry.pageIndex(block: b, entry: foundEntry)
      let indexSpan = geometry.indexSpan(ofDataSpan: flash.pageHeaderSpan(foundPage))
      guard let indexPage = indexPages[Self.key(objectID, indexSpan)] else {
        // An unreferenced data page (cannot happen while packing); SPIFFS deletes it.
        flash.delete(page: foundPage)
        continue
      }
      flash.readPage(indexPage, into: &work)

      // MOVE_OBJ_DATA: a full pass over the block for this object and index page.
      for i in 0..<e where flash.lookup[b * e + i] == objectID {
        let page = geometry.pageIndex(block: b, entry: i)
        let span = flash.pageHeaderSpan(page)
        guard geometry.indexSpan(ofDataSpan: span) == indexSpan else { continue }  // another index page, later
        let moved = try flash.copy(page: page, objectID: objectID)
        work.storeLE16(UInt16(moved), at: geometry.tableEntryOffset(indexSpan: indexSpan, dataSpan: span))
      }
      if indexSpan == 0 {
        try updateHeader(id: objectID, usingWork: true, size: 0)
      } else {
        indexPages[Self.key(objectID, indexSpan)] =
          try flash.move(data: &work, objectID: SPIFFSObjectID.index(objectID), from: indexPage)
      }
      entry = resume
    }

    // MOVE_OBJ_IX: copy out the index pages still in the block.
    for i in 0..<e {
      let v = flash.lookup[b * e + i]
      guard SPIFFSObjectID.isInUse(v), SPIFFSObjectID.isIndex(v) else { continue }
      let page = geometry.pageIndex(block: b, entry: i)
      let span = flash.pageHeaderSpan(page)
      indexPages[Self.key(SPIFFSObjectID.plain(v), span)] = try flash.copy(page: page, objectID: v)
    }
  }
}
