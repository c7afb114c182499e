/// Object id allocation as `spiffs_obj_lu_find_free_obj_id` does it (§4).
///
/// SPIFFS finds ids by scanning the whole lookup area, once per range it considers. While mkspiffs packs, no
/// object is ever removed, so "ids present in the lookup" and "ids with a live index header" are both exactly
/// the ids handed out so far; we keep those in a bitmap instead of rescanning pages.
///
/// * Bitmap mode (range ≤ `P*8` ids): the lowest id in `lo ..< lo + P*8` not in use.
/// * Compaction mode: count the live headers per group of `c = (hi - lo) / P` ids, take the first group with
///   the lowest count; a zero count yields `lo + g*c` directly, otherwise the range narrows to that group.
///
/// The first compaction level always covers the same range, so its group counts are kept up to date as ids
/// are handed out; with 16-bit ids its groups are at most 127 wide, so the narrowed range is always a bitmap
/// and one id costs O(P*8) instead of a pass over every file.
struct ObjectIDAllocator {
  let pageSize: Int
  private let lo: Int
  private let hi: Int
  /// Group width of the first compaction level, 0 in bitmap mode.
  private let compaction: Int
  /// Headers per group at the first level; u8 like SPIFFS' table, which wraps the same way.
  private var counts: [UInt8]
  private var inUse = [Bool](repeating: false, count: Int(SPIFFSObjectID.indexFlag))
  private var live: [UInt16] = []

  init(geometry: BuildGeometry) {
    pageSize = geometry.pageSize
    let maxObjects = geometry.blocks * geometry.entries / 2
    lo = 1
    var top = maxObjects + 1
    // As `spiffs_obj_lu_find_free_obj_id`: a count with the index flag's bit set is cut to the largest id.
    if top & Int(SPIFFSObjectID.indexFlag) != 0 { top = Int(SPIFFSObjectID.idMask) }
    hi = top
    compaction = top - 1 > geometry.pageSize * 8 ? (top - 1) / geometry.pageSize : 0
    counts = [UInt8](repeating: 0, count: geometry.pageSize)
  }

  mutating func markUsed(_ id: UInt16) {
    inUse[Int(id)] = true
    live.append(id)
    let v = Int(id)
    // SPIFFS indexes a page-sized table here; a group past its end would land outside it. Ids handed out by
    // this same rule never reach that group, so it is only skipped.
    if compaction > 0, v >= lo, v <= hi, (v - lo) / compaction < pageSize { counts[(v - lo) / compaction] &+= 1 }
  }

  /// The id SPIFFS would give the next new file, or nil when it would report the file system full.
  func next() -> UInt16? {
    guard compaction > 0 else { return lowestFree(from: lo) }
    var level = counts
    var low = lo
    var high = hi
    var width = compaction
    while true {
      var minIndex = 0
      var minCount: UInt8 = 0xFF
      for i in 0..<pageSize where level[i] < minCount {
        minCount = level[i]
        minIndex = i
        if minCount == 0 { break }
      }
      if Int(minCount) == width { return nil }
      if minCount == 0 { return UInt16(low + minIndex * width) }
      low += minIndex * width
      high = low + width
      if high - low <= pageSize * 8 { return lowestFree(from: low) }
      // Deeper levels need ranges wider than 16-bit ids allow; counted from scratch like SPIFFS would.
      width = (high - low) / pageSize
      level = [UInt8](repeating: 0, count: pageSize)
      for id in live {
        let v = Int(id)
        if v >= low, v <= high, (v - low) / width < pageSize { level[(v - low) / width] &+= 1 }
      }
    }
  }

  /// Bitmap mode: the lowest id in `start ..< start + P*8` not in use.
  private func lowestFree(from start: Int) -> UInt16? {
    for id in start..<(start + pageSize * 8) {
      guard id < SPIFFSObjectID.idMask else { return nil }  // the index id of 0x7FFF would read as a free entry
      if !inUse[id] { return UInt16(id) }
    }
    return nil
  }
}
