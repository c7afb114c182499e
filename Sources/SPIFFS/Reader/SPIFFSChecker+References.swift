/// The page pass of SPIFFS_check, and the per-file read check.
extension SPIFFSImage {
  /// SPIFFS_check's page pass (which data pages the live index tables name), then each file read the way
  /// `contents(of:)` reads it, then what SPIFFS would delete.
  func referencePass(_ live: inout LivePages, files: [SPIFFSEntry], problems: inout [SPIFFSProblem],
                     notes: inout [SPIFFSProblem]) {
    let ppb = layout.pagesPerBlock
    // Every entry of every live index page, stale duplicates included: SPIFFS_check does not know which copy
    // a read would take, so a data page either copy names is referenced.
    var referencedBy: [Int: Int] = [:]
    for (key, indexPages) in live.index.sorted(by: { $0.key < $1.key }) {
      let id = SPIFFSObjectID.plain(UInt16(key >> 16)), indexSpan = Int(key & 0xFFFF)
      let entries = indexSpan == 0 ? layout.entriesInIndexHeader : layout.entriesPerIndexPage
      let firstSpan = indexSpan == 0 ? 0 : layout.entriesInIndexHeader + (indexSpan - 1) * layout.entriesPerIndexPage
      for indexPix in indexPages {
        let table = offset(ofPage: indexPix) + layout.tableOffset(inIndexSpan: indexSpan)
        for slot in 0..<entries {
          let target = Int(u16(at: table + slot * 2))
          guard target != 0xFFFF, isObjectPage(target) else { continue }
          let header = pageHeader(target)
          guard header.objectID == id, Int(header.spanIndex) == firstSpan + slot, Self.isLiveData(header) else { continue }
          if let other = referencedBy[target] {
            problems.append(SPIFFSProblem(.error, .multiplyReferencedPage, block: target / ppb, page: target, objectID: id,
              "data page of span \(firstSpan + slot) is named by index pages \(other) and \(indexPix); "
                + "SPIFFS_check would delete the whole object"))
          } else {
            referencedBy[target] = indexPix
          }
        }
      }
      if indexPages.count > 1, indexSpan != 0 {
        let used = self.indexPages[key] ?? indexPages[0]
        notes.append(SPIFFSProblem(.note, .duplicateIndexPage, block: used / ppb, page: used, objectID: id,
          "index page \(indexSpan) exists \(indexPages.count) times (pages "
            + indexPages.map(String.init).joined(separator: ", ") + "); reads use page \(used), the one that "
            + "covers the file size; a failed append leaves this, and SPIFFS_check leaves it alone"))
      }
    }

    var seenNames: [[UInt8]: Int] = [:]
    for file in files {
      problems += checkFile(file, live: live, notes: &notes)
      if let first = seenNames[file.nameBytes] {
        problems.append(SPIFFSProblem(.error, .duplicateName, block: file.headerPage / ppb, page: file.headerPage,
          objectID: file.objectID, "name \(SPIFFSName.display(file.nameBytes)) is also used by the file at page \(first)"))
      } else {
        seenNames[file.nameBytes] = file.headerPage
      }
    }

    func hasHeader(_ id: UInt16) -> Bool { live.index[UInt32(SPIFFSObjectID.index(id)) << 16] != nil }
    for (key, pages) in live.data.sorted(by: { $0.key < $1.key }) {
      let id = UInt16(key >> 16)
      for pix in pages where referencedBy[pix] == nil {
        let why = hasHeader(id) ? "no index page of its object names it" : "its object has no index header"
        problems.append(SPIFFSProblem(.warning, .orphanDataPage, block: pix / ppb, page: pix, objectID: id,
          "data page of span \(key & 0xFFFF) is unreferenced: \(why) (SPIFFS_check would delete it)"))
      }
    }
    for (key, pages) in live.index.sorted(by: { $0.key < $1.key }) where key & 0xFFFF != 0 {
      let id = SPIFFSObjectID.plain(UInt16(key >> 16))
      guard !hasHeader(id) else { continue }
      for pix in pages {
        problems.append(SPIFFSProblem(.warning, .orphanIndexPage, block: pix / ppb, page: pix, objectID: id,
          "index page \(key & 0xFFFF) belongs to an object without an index header (SPIFFS_check would delete it)"))
      }
    }
  }

  /// Reads `file` the way `contents(of:)` does and reports what stops it.
  private func checkFile(_ file: SPIFFSEntry, live: LivePages, notes: inout [SPIFFSProblem]) -> [SPIFFSProblem] {
    let ppb = layout.pagesPerBlock
    var problems: [SPIFFSProblem] = []
    func add(_ s: SPIFFSProblem.Severity, _ k: SPIFFSProblem.Kind, page: Int, _ m: String) {
      problems.append(SPIFFSProblem(s, k, block: page / ppb, page: page, objectID: file.objectID,
                                    "\(SPIFFSName.display(file.nameBytes)): \(m)"))
    }
    if file.nameIsUnterminated {
      add(.error, .unterminatedName, page: file.headerPage, "the \(layout.nameLength)-byte name field has no NUL")
    }
    if file.type != 1 { add(.warning, .unexpectedType, page: file.headerPage, "object type \(file.type), expected 1 (file)") }
    guard file.size <= maximumFileBytes else {
      add(.error, .sizeTooLarge, page: file.headerPage,
          "size \(file.size) is larger than the image can hold (\(maximumFileBytes) bytes)")
      return problems
    }
    let perPage = layout.dataBytesPerPage
    let spans = (file.size + perPage - 1) / perPage
    let indexKey = UInt32(SPIFFSObjectID.index(file.objectID)) << 16
    var table = file.headerPage, tableSpan = 0, tableMissing = false
    for span in 0..<spans {
      let (indexSpan, slot) = layout.indexLocation(ofDataSpan: span)
      if indexSpan != tableSpan {
        tableSpan = indexSpan
        if let pix = indexPages[indexKey | UInt32(indexSpan)] {
          table = pix
          tableMissing = false
        } else {
          tableMissing = true
          add(.error, .missingIndexPage, page: file.headerPage,
              "index page \(indexSpan) (data spans from \(span)) is missing")
        }
      }
      if tableMissing { continue }
      let dataPage = Int(u16(at: offset(ofPage: table) + layout.tableOffset(inIndexSpan: indexSpan) + slot * 2))
      guard dataPage != 0xFFFF else {
        add(.error, .missingSpan, page: table, "span \(span) of \(spans) has no data page in index page \(indexSpan)")
        continue
      }
      guard isObjectPage(dataPage) else {
        add(.error, .indexPointsAtWrongPage, page: table,
            "span \(span) points at page \(dataPage), which is not an object page")
        continue
      }
      let header = pageHeader(dataPage)
      guard header.objectID == file.objectID, Int(header.spanIndex) == span, Self.isLiveData(header) else {
        add(.error, .indexPointsAtWrongPage, page: dataPage, "span \(span) points at page \(dataPage) holding id "
          + "\(SPIFFSName.hexID(header.objectID)) span \(header.spanIndex) flags 0x\(String(header.flags.rawValue, radix: 16))")
        continue
      }
    }
    // SPIFFS_check does not compare index pages with the size; a truncation or failed append can leave these.
    let neededIndexPages = spans == 0 ? 0 : layout.indexLocation(ofDataSpan: spans - 1).indexSpan
    for (key, pages) in live.index where key & 0xFFFF_0000 == indexKey && Int(key & 0xFFFF) > neededIndexPages {
      for pix in pages {
        notes.append(SPIFFSProblem(.note, .orphanIndexPage, block: pix / ppb, page: pix, objectID: file.objectID,
          "\(SPIFFSName.display(file.nameBytes)): index page \(key & 0xFFFF) lies beyond the file size \(file.size)"))
      }
    }
    return problems
  }
}
