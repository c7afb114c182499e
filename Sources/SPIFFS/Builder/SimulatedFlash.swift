/// Raised when SPIFFS itself would return `SPIFFS_ERR_FULL` (-10001): out of pages, or (from the id search)
/// out of object ids.
struct FlashFull: Error {
  var outOfObjectIDs = false
}

/// The flash and the allocation state of a mounted SPIFFS, modelled after `spiffs_nucleus.c` (pellepl/spiffs
/// f5e26c4, the copy mkspiffs 0.2.0/0.2.3 vendor): free cursor, `free_blocks`, `stats_p_allocated/deleted`,
/// the erase counters, and the page primitives alloc / delete / move / erase.
///
/// The lookup entries live in `lookup` (one u16 per object page) and are written into the image by
/// `finishedImage()`; object pages are written straight into `image`. mkspiffs' HAL overwrites bytes instead of
/// AND-ing them, which is why deleted pages get the flag byte 0x7E (§2.5).
struct SimulatedFlash {
  let geometry: BuildGeometry
  let layout: SPIFFSLayout
  var image: [UInt8]
  /// Lookup entries, `block * E + entry`: 0xFFFF free, 0x0000 deleted, else the object id (bit 15 = index).
  var lookup: [UInt16]
  var eraseCounts: [UInt16]
  /// After format + mount every count is 0, so mount sets `max_erase_count` = 0 + 1 (`spiffs_obj_lu_scan`).
  var maxEraseCount: UInt16 = 1
  var cursorBlock = 0
  var cursorEntry = 0
  /// Blocks whose first lookup entry is free, counted the way SPIFFS counts (it can drift, e.g. when GC
  /// erases a block that was already free; we keep SPIFFS' arithmetic, not the truth).
  var freeBlocks: Int
  var allocated = 0
  var deleted = 0
  /// `fs->cleaning`: set during `gc_clean`, where allocation must not trigger a quick GC.
  var cleaning = false
  /// Block erases done by garbage collection (full and quick).
  var erases = 0
  /// Per block: the first free lookup entry (E when none), and the deleted and used entries before it. These
  /// are exactly what `spiffs_gc_find_candidate` counts (it stops at the first free entry), kept up to date
  /// on every lookup write so that scoring and the free-page search cost O(blocks), not O(pages).
  var firstFree: [Int]
  var deadBeforeFree: [Int]
  var usedBeforeFree: [Int]

  init(layout: SPIFFSLayout, geometry: BuildGeometry) {
    self.layout = layout
    self.geometry = geometry
    image = [UInt8](repeating: 0xFF, count: max(layout.imageSize, geometry.blocks * geometry.block))
    lookup = [UInt16](repeating: SPIFFSObjectID.free, count: geometry.blocks * geometry.entries)
    eraseCounts = [UInt16](repeating: 0, count: geometry.blocks)
    freeBlocks = geometry.blocks
    firstFree = [Int](repeating: 0, count: geometry.blocks)
    deadBeforeFree = [Int](repeating: 0, count: geometry.blocks)
    usedBeforeFree = [Int](repeating: 0, count: geometry.blocks)
  }

  // MARK: Allocation (spiffs_obj_lu_find_free)

  /// Finds the next free lookup entry from the cursor, wrapping once around the whole file system, takes it
  /// for `objectID` and returns its page index. Below two free blocks it first tries a quick GC.
  mutating func allocate(_ objectID: UInt16) throws(FlashFull) -> Int {
    if !cleaning && freeBlocks < 2 {
      quickGC()
      if freeBlocks < 2 { throw FlashFull() }
    }
    let e = geometry.entries
    var block = cursorBlock
    var entry = cursorEntry
    if entry > e - 1 {  // "wrap initial"
      entry = 0
      block += 1
      if block >= geometry.blocks { block = 0 }
    }
    // The same N*E entries SPIFFS visits: the rest of the cursor's block, every other block (where the
    // first free entry is `firstFree`), then the start of the cursor's block.
    var found: (block: Int, entry: Int)?
    let start = block
    for i in entry..<e where lookup[start * e + i] == SPIFFSObjectID.free {
      found = (start, i)
      break
    }
    if found == nil {
      var b = start + 1 == geometry.blocks ? 0 : start + 1
      while b != start {
        if firstFree[b] < e {
          found = (b, firstFree[b])
          break
        }
        b = b + 1 == geometry.blocks ? 0 : b + 1
      }
    }
    if found == nil, firstFree[start] < entry { found = (start, firstFree[start]) }
    guard let (b, i) = found else { throw FlashFull() }
    cursorBlock = b
    cursorEntry = i + 1
    if i == 0 { freeBlocks -= 1 }
    setLookup(block: b, entry: i, to: objectID)
    allocated += 1
    return geometry.pageIndex(block: b, entry: i)
  }

  /// Writes a lookup entry and keeps the per-block counters in step.
  mutating func setLookup(block b: Int, entry i: Int, to value: UInt16) {
    let e = geometry.entries
    let old = lookup[b * e + i]
    lookup[b * e + i] = value
    if i < firstFree[b] {
      if old == SPIFFSObjectID.deleted { deadBeforeFree[b] -= 1 } else { usedBeforeFree[b] -= 1 }
      if value == SPIFFSObjectID.deleted { deadBeforeFree[b] += 1 } else { usedBeforeFree[b] += 1 }
    } else if i == firstFree[b] {
      // The first free entry got used: count it and everything up to the next free entry.
      var j = i
      while j < e, lookup[b * e + j] != SPIFFSObjectID.free {
        if lookup[b * e + j] == SPIFFSObjectID.deleted { deadBeforeFree[b] += 1 } else { usedBeforeFree[b] += 1 }
        j += 1
      }
      firstFree[b] = j
    }
  }

  /// `spiffs_page_delete`: lookup entry 0x0000, flags 0x7E (mkspiffs' HAL overwrites the byte).
  mutating func delete(page page: Int) {
    let slot = geometry.lookupSlot(ofPage: page)
    setLookup(block: slot / geometry.entries, entry: slot % geometry.entries, to: 0)
    image[page * geometry.pageSize + 4] = 0x7E
    deleted += 1
    allocated -= 1
  }

  /// `spiffs_page_move` with page data: writes `data` (flags: written unfinalised, then finalised if the data
  /// was final) to a new page, claims it for `objectID`, deletes `source`. `data[4]` ends up as SPIFFS leaves
  /// its buffer.
  mutating func move(data: inout [UInt8], objectID: UInt16, from source: Int) throws(FlashFull) -> Int {
    let dst = try allocate(objectID)
    let flags = data[4]
    let wasFinal = flags & 0x02 == 0
    data[4] = wasFinal ? flags & ~0x03 : (flags | 0x02) & ~0x01
    writePage(dst, from: data)
    delete(page: source)
    return dst
  }

  /// `spiffs_page_move` without page data: a physical copy of the page.
  mutating func copy(page source: Int, objectID: UInt16) throws(FlashFull) -> Int {
    let dst = try allocate(objectID)
    let p = geometry.pageSize
    image.withUnsafeMutableBufferPointer { buf in
      let base = buf.baseAddress!
      (base + dst * p).update(from: base + source * p, count: p)
    }
    delete(page: source)
    return dst
  }

  /// `spiffs_erase_block`: everything 0xFF, then the running erase count and the magic.
  mutating func erase(block b: Int) {
    let start = b * geometry.block
    image.withUnsafeMutableBufferPointer { buf in
      (buf.baseAddress! + start).update(repeating: 0xFF, count: geometry.block)
    }
    lookup.withUnsafeMutableBufferPointer { lu in
      (lu.baseAddress! + b * geometry.entries).update(repeating: SPIFFSObjectID.free, count: geometry.entries)
    }
    firstFree[b] = 0
    deadBeforeFree[b] = 0
    usedBeforeFree[b] = 0
    freeBlocks += 1
    eraseCounts[b] = maxEraseCount
    maxEraseCount &+= 1
    if maxEraseCount == SPIFFSObjectID.indexFlag { maxEraseCount = 0 }  // SPIFFS wraps erase counts at the id flag
    erases += 1
  }

  /// `spiffs_gc_quick(fs, 0)`: erases the first block whose entries are all deleted.
  mutating func quickGC() {
    for b in 0..<geometry.blocks where deadBeforeFree[b] == geometry.entries {
      deleted -= geometry.entries
      erase(block: b)
      return
    }
  }

  // MARK: Page access

  @inline(__always) func pageHeaderSpan(_ page: Int) -> Int { Int(image.loadLE16(at: page * geometry.pageSize + 2)) }

  func readPage(_ page: Int, into buffer: inout [UInt8]) {
    let p = geometry.pageSize
    image.withUnsafeBufferPointer { src in
      buffer.withUnsafeMutableBufferPointer { dst in
        dst.baseAddress!.update(from: src.baseAddress! + page * p, count: p)
      }
    }
  }

  /// Overwrites the whole page with `buffer` (mkspiffs' HAL writes bytes as given).
  mutating func writePage(_ page: Int, from buffer: [UInt8]) {
    let p = geometry.pageSize
    buffer.withUnsafeBufferPointer { src in
      image.withUnsafeMutableBufferPointer { dst in
        (dst.baseAddress! + page * p).update(from: src.baseAddress!, count: p)
      }
    }
  }

  /// Counts that SPIFFS keeps for `spiffs_gc_check`.
  var freePagesForGC: Int { geometry.writablePages - allocated - deleted }

  /// The image with the lookup areas, erase counts and magics written in (§1.2).
  mutating func finishedImage() -> [UInt8] {
    for b in 0..<geometry.blocks {
      let base = b * geometry.block
      for e in 0..<geometry.entries { image.storeLE16(lookup[b * geometry.entries + e], at: base + 2 * e) }
      if layout.usesMagic { image.storeLE16(layout.magic(forBlock: b), at: base + layout.magicOffsetInBlock) }
      image.storeLE16(eraseCounts[b], at: base + layout.eraseCountOffsetInBlock)
    }
    let result = image
    image = []
    return result
  }
}
