/// Which of several live index pages for the same object and span a reader uses.
///
/// How two live copies arise (from the append path of the SPIFFS sources, §2.8, and what
/// `regressions/esp8266_4M1M242_dupindex.bin` shows for object 0x0023): an append that runs past the header's
/// table writes a fresh index page 1 (page 139, entries for spans 105…157), writes its table in place, and
/// only then moves the header to store the new size. When that header move finds no free page
/// (`SPIFFS_ERR_FULL`), the header keeps the old size, so page 139 lies beyond the size SPIFFS believes. The next
/// append starts again at the old size; since the size says index page 1 does not exist yet, SPIFFS creates a
/// second one (page 1295) and data pages for spans 105…197, then stores size 49,675. Nothing deletes page 139
/// or its data pages, and SPIFFS_check does not look for duplicates: each data page is referenced by exactly
/// one live index page, so it reports nothing.
///
/// How SPIFFS picks one: `spiffs_obj_lu_find_id_and_span` returns the first live page with that id and span
/// scanning the lookup tables from a roving cursor (the block and entry of the previous successful lookup),
/// not from block 0. The choice therefore depends on the lookups made since mount, which no image records. What
/// the image does fix is which copy can serve the file: the size in the header (49,675 bytes = spans 0…197)
/// needs 93 entries in index page 1. Page 139 has 53 and then 0xFFFF, so a read through it fails at span 158
/// with `SPIFFS_ERR_INDEX_REF_FREE`; only page 1295 reads the whole file, and it is the copy the reference
/// run read (the listing's sha256 is that of the data behind page 1295). A stale copy can also be longer than
/// the size (a failed append that wrote more than the retry); its extra entries then lie past the end.
///
/// So a reader takes, in this order: the first copy (lookup order) whose entries cover exactly the spans the
/// header's size needs, each pointing at a live data page of this object and span, with nothing past the end;
/// else the first that covers the size; else the one that serves the longest prefix; ties go to lookup order,
/// which is what SPIFFS finds with its cursor at block 0 (right after mount).
extension SPIFFSImage {
  /// Picks one of `pages` (live index pages for `key` = `(id | 0x8000) << 16 | span`, in lookup order).
  static func resolveIndexPage(
    _ pages: [Int], key: UInt32, bytes: [UInt8], layout: SPIFFSLayout, headerPage: Int?
  ) -> Int {
    guard pages.count > 1, let headerPage else { return pages[0] }
    let objectID = SPIFFSObjectID.plain(UInt16(key >> 16))
    let indexSpan = Int(key & 0xFFFF)
    let rawSize = readU32(bytes, headerPage * layout.pageSize + layout.indexHeaderSizeOffset)
    let size = rawSize == 0xFFFF_FFFF ? 0 : Int(rawSize)
    let spans = (size + layout.dataBytesPerPage - 1) / layout.dataBytesPerPage
    let firstSpan = layout.entriesInIndexHeader + (indexSpan - 1) * layout.entriesPerIndexPage
    let needed = min(max(0, spans - firstSpan), layout.entriesPerIndexPage)

    var best = pages[0], bestScore = -1
    for pix in pages {
      let table = pix * layout.pageSize + layout.indexPageTableOffset
      var served = 0
      while served < needed {
        let target = Int(readU16(bytes, table + served * 2))
        guard target < layout.pageCount, layout.lookupEntry(ofPage: target) != nil else { break }
        let header = header(bytes, layout, target)
        guard header.objectID == objectID, Int(header.spanIndex) == firstSpan + served, isLiveData(header) else { break }
        served += 1
      }
      let clean = served == needed
        && (needed..<layout.entriesPerIndexPage).allSatisfy { readU16(bytes, table + $0 * 2) == 0xFFFF }
      // Exact beats covering beats partial; within a class more served spans win; `>` keeps lookup order on ties.
      let score = (clean ? 2 : served == needed ? 1 : 0) * (layout.entriesPerIndexPage + 1) + served
      if score > bestScore { best = pix; bestScore = score }
    }
    return best
  }

  static func readU16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
    UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }

  static func readU32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    UInt32(readU16(bytes, offset)) | UInt32(readU16(bytes, offset + 2)) << 16
  }
}
