/// Object id allocation as `spiffs_obj_lu_find_free_obj_id` does it (§4).
///
/// SPIFFS finds ids by scanning the whole lookup area, once per range it considers. While mkspiffs packs, no
/// object is ever removed, so "ids present in the lookup" and "ids with a live index header" are both exactly
/// the ids handed out so far; we keep those in a bitmap and a list instead of rescanning pages.
///
/// * Bitmap mode (range ≤ `P*8` ids): the lowest id in `lo ..< lo + P*8` not in use.
/// * Compaction mode: count the live headers per group of `c = (hi - lo) / P` ids, take the first group with
///   the lowest count; a zero count yields `lo + g*c` directly, otherwise the range narrows to that group.
struct ObjectIDAllocator {
  let pageSize: Int
  let maxObjects: Int
  private var inUse = [Bool](repeating: false, count: 0x8000)
  private var live: [UInt16] = []

  init(geometry g: BuildGeometry) {
    pageSize = g.page
    maxObjects = g.blocks * g.entries / 2
  }

  mutating func markUsed(_ id: UInt16) {
    inUse[Int(id)] = true
    live.append(id)
  }

  /// The id SPIFFS would give the next new file, or nil when it would report the file system full.
  func next() -> UInt16? {
    let bitmapSpan = pageSize * 8
    var lo = 1
    var hi = maxObjects + 1
    if hi & 0x8000 != 0 { hi = 0x7FFF }
    var compaction = 0
    var counts = [UInt8](repeating: 0, count: pageSize)
    while true {
      if hi - lo <= bitmapSpan {
        for id in lo..<(lo + bitmapSpan) {
          guard id < 0x7FFF else { return nil }  // 0x7FFF | 0x8000 would be the free marker
          if !inUse[id] { return UInt16(id) }
        }
        return nil
      }
      if compaction != 0 {
        var minIndex = 0
        var minCount: UInt8 = 0xFF
        for i in 0..<pageSize where counts[i] < minCount {
          minCount = counts[i]
          minIndex = i
          if minCount == 0 { break }
        }
        if Int(minCount) == compaction { return nil }
        if minCount == 0 { return UInt16(lo + minIndex * compaction) }
        lo += minIndex * compaction
        hi = lo + compaction
        if hi - lo <= bitmapSpan { continue }
      }
      compaction = (hi - lo) / pageSize
      for i in 0..<pageSize { counts[i] = 0 }
      for id in live {
        let v = Int(id)
        guard v >= lo, v <= hi else { continue }
        // SPIFFS indexes a page-sized table here; a group past its end would land outside it. Ids handed out
        // by this same rule never reach that group, so it is only skipped.
        let group = (v - lo) / compaction
        if group < pageSize { counts[group] &+= 1 }
      }
    }
  }
}
