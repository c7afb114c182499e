/// Structural consistency, read-only: what SPIFFS_check would report (and repair) reported instead, plus what
/// stops a file from being read in full.
///
/// SPIFFS_check runs three passes (pellepl/spiffs `spiffs_check.c`): the lookup check (every lookup entry
/// against its page header), the index check (index headers left half-deleted, index pages without a header)
/// and the page check (every entry of every live index page must name a live data page of that object and
/// span; a data page no index page names is deleted, one named twice costs the object). It does not compare
/// tables with file sizes and does not look for duplicate pages: two live index pages for one span, each
/// naming its own data pages, pass it silently (see IndexPageResolution). The same passes run here, in one
/// walk over the lookup entries and one over the index tables, so O(pages).
extension SPIFFSImage {
  public func check() -> SPIFFSCheckReport {
    var problems: [SPIFFSProblem] = []
    let badBlocks = blocksWithBadMagic()
    for block in badBlocks {
      let stored = storedMagic(block: block), want = layout.magic(forBlock: block)
      let tolerated = badBlocks.count == 1
      problems.append(SPIFFSProblem(tolerated ? .warning : .error, .badMagic, block: block,
        "block magic is 0x\(String(stored, radix: 16)), expected 0x\(String(want, radix: 16))"
          + (tolerated ? " (SPIFFS treats this block as an interrupted erase and erases it at mount)" : "")))
    }
    guard badBlocks.count <= 1 else {
      return SPIFFSCheckReport(layout: layout, problems: problems, filesChecked: 0, pagesChecked: 0)
    }
    var pages = lookupPass(skipping: Set(badBlocks), into: &problems)
    let files = entries().filter { !badBlocks.contains($0.headerPage / layout.pagesPerBlock) }
    var notes: [SPIFFSProblem] = []
    referencePass(&pages, files: files, problems: &problems, notes: &notes)
    return SPIFFSCheckReport(layout: layout, problems: problems, notes: notes, filesChecked: files.count,
                             pagesChecked: pages.checked)
  }

  /// Live pages found by the lookup pass, keyed `(id | index bit) << 16 | span`.
  struct LivePages {
    var index: [UInt32: [Int]] = [:]
    var data: [UInt32: [Int]] = [:]
    var checked = 0
  }

  /// SPIFFS_check's lookup and index checks: each lookup entry against its page header.
  private func lookupPass(skipping skipped: Set<Int>, into problems: inout [SPIFFSProblem]) -> LivePages {
    var live = LivePages()
    for block in 0..<layout.blockCount where !skipped.contains(block) {
      for entry in 0..<layout.objectPagesPerBlock {
        let pix = layout.pageIndex(block: block, entry: entry)
        let value = lookupValue(block: block, entry: entry)
        let header = pageHeader(pix)
        let flags = header.flags
        let hexFlags = "0x" + String(flags.rawValue, radix: 16)
        live.checked += 1
        func add(_ s: SPIFFSProblem.Severity, _ k: SPIFFSProblem.Kind, _ m: String, id: UInt16? = nil) {
          problems.append(SPIFFSProblem(s, k, block: block, page: pix, objectID: id, m))
        }
        switch value {
        case SPIFFSObjectID.free:
          if flags.isUsed || header.objectID != 0xFFFF {
            add(.error, .freeEntryWrittenPage, "lookup entry is free but the page holds id "
              + "\(SPIFFSName.hexID(header.objectID)) flags \(hexFlags)")
          }
        case SPIFFSObjectID.deleted:
          if flags.isUsed, !flags.isDeleted {
            add(.warning, .deletedEntryLivePage, "lookup entry is deleted but the page flags \(hexFlags) say live",
                id: SPIFFSObjectID.plain(header.objectID))
          }
        default:
          let id = SPIFFSObjectID.plain(value)
          if header.objectID != value {
            let detail = SPIFFSObjectID.plain(header.objectID) == id
              ? "the index bit differs (lookup 0x\(String(value, radix: 16)), page 0x\(String(header.objectID, radix: 16)))"
              : "lookup says id \(SPIFFSName.hexID(value)), page header says \(SPIFFSName.hexID(header.objectID))"
            add(.error, .lookupMismatch, detail, id: id)
            continue
          }
          if flags.isDeleted || !flags.isUsed || flags.isIndex != (SPIFFSObjectID.isIndex(value)) {
            add(.error, .badFlags, "page flags \(hexFlags) contradict a live "
              + (SPIFFSObjectID.isIndex(value) ? "index" : "data") + " page", id: id)
            continue
          }
          if !flags.isFinal {
            add(.warning, .badFlags, "page was never finished (flags \(hexFlags))", id: id)
            continue
          }
          if SPIFFSObjectID.isIndex(value) {
            if header.spanIndex == 0, flags.isIndexBeingDeleted {
              // SPIFFS_remove clears IXDELE on the header first, then deletes the data pages, then the header.
              // A reset in between leaves this; SPIFFS_check's index pass deletes the page (report
              // SPIFFS_CHECK_DELETE_PAGE with this page and id), and its page pass then drops any data pages left.
              add(.warning, .halfDeletedHeader, "index header of object \(SPIFFSName.hexID(id)) was left in the "
                + "middle of a delete (its \"being deleted\" flag is set, flags \(hexFlags)); the file is gone "
                + "for SPIFFS, and SPIFFS_check would delete this page", id: id)
              continue
            }
            live.index[UInt32(value) << 16 | UInt32(header.spanIndex), default: []].append(pix)
          } else {
            live.data[UInt32(value) << 16 | UInt32(header.spanIndex), default: []].append(pix)
          }
        }
      }
    }
    return live
  }
}
