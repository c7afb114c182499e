/// Structural consistency, read-only: the checks SPIFFS_check makes (and would repair) reported instead.
///
/// Work is one pass over the lookup entries plus one pass over every file's index, so O(pages).
extension SPIFFSImage {
  public func check() -> SPIFFSCheckReport {
    var problems: [SPIFFSProblem] = []
    let ppb = layout.pagesPerBlock
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
    let skipped = Set(badBlocks)

    // Pass 1: every lookup entry against its page header.
    var liveIndex: [UInt32: [Int]] = [:]   // (id|0x8000)<<16 | span → pages
    var liveData: [UInt32: [Int]] = [:]    // id<<16 | span → pages
    var pagesChecked = 0
    for block in 0..<layout.blockCount where !skipped.contains(block) {
      for entry in 0..<layout.objectPagesPerBlock {
        let pix = layout.pageIndex(block: block, entry: entry)
        let value = lookupValue(block: block, entry: entry)
        let header = pageHeader(pix)
        let flags = header.flags
        pagesChecked += 1
        func add(_ s: SPIFFSProblem.Severity, _ k: SPIFFSProblem.Kind, _ m: String, id: UInt16? = nil) {
          problems.append(SPIFFSProblem(s, k, block: block, page: pix, objectID: id, m))
        }
        switch value {
        case 0xFFFF:
          if flags.isUsed || header.objectID != 0xFFFF {
            add(.error, .freeEntryWrittenPage, "lookup entry is free but the page holds id "
              + "\(SPIFFSName.hexID(header.objectID)) flags 0x\(String(flags.rawValue, radix: 16))")
          }
        case 0:
          if flags.isUsed, !flags.isDeleted {
            add(.warning, .deletedEntryLivePage, "lookup entry is deleted but the page flags "
              + "0x\(String(flags.rawValue, radix: 16)) say live", id: header.objectID & 0x7FFF)
          }
        default:
          let id = value & 0x7FFF
          if header.objectID != value {
            let detail = header.objectID & 0x7FFF == id
              ? "the index bit differs (lookup 0x\(String(value, radix: 16)), page 0x\(String(header.objectID, radix: 16)))"
              : "lookup says id \(SPIFFSName.hexID(value)), page header says \(SPIFFSName.hexID(header.objectID))"
            add(.error, .lookupMismatch, detail, id: id)
            continue
          }
          if flags.isDeleted || !flags.isUsed || flags.isIndex != (value & 0x8000 != 0) {
            add(.error, .badFlags, "page flags 0x\(String(flags.rawValue, radix: 16)) contradict a live "
              + (value & 0x8000 != 0 ? "index" : "data") + " page", id: id)
            continue
          }
          if !flags.isFinal {
            add(.warning, .badFlags, "page was never finished (flags 0x\(String(flags.rawValue, radix: 16)))", id: id)
            continue
          }
          if value & 0x8000 != 0 {
            if header.spanIndex == 0, flags.isIndexBeingDeleted { continue }  // a half-deleted header
            liveIndex[UInt32(value) << 16 | UInt32(header.spanIndex), default: []].append(pix)
          } else {
            liveData[UInt32(value) << 16 | UInt32(header.spanIndex), default: []].append(pix)
          }
        }
      }
    }
    for (key, pages) in liveIndex.sorted(by: { $0.key < $1.key }) where pages.count > 1 {
      problems.append(SPIFFSProblem(.error, .duplicateIndexPage, block: pages[1] / ppb, page: pages[1],
        objectID: UInt16(key >> 16) & 0x7FFF,
        "index page \(key & 0xFFFF) exists \(pages.count) times (pages \(pages.map(String.init).joined(separator: ", ")))"))
    }
    for (key, pages) in liveData.sorted(by: { $0.key < $1.key }) where pages.count > 1 {
      problems.append(SPIFFSProblem(.error, .duplicateSpan, block: pages[1] / ppb, page: pages[1],
        objectID: UInt16(key >> 16),
        "data span \(key & 0xFFFF) exists \(pages.count) times (pages \(pages.map(String.init).joined(separator: ", ")))"))
    }

    // Pass 2: every file's index against the data pages.
    var indexSpans: [UInt16: [Int]] = [:]
    for key in liveIndex.keys.sorted() where key & 0xFFFF != 0 {
      indexSpans[UInt16(key >> 16) & 0x7FFF, default: []].append(Int(key & 0xFFFF))
    }
    let files = entries().filter { !skipped.contains($0.headerPage / ppb) }
    var referenced = Set<Int>()
    var seenNames: [[UInt8]: Int] = [:]
    var fileIDs = Set<UInt16>()
    for file in files {
      fileIDs.insert(file.objectID)
      problems += checkFile(file, liveIndex: liveIndex, indexSpans: indexSpans, referenced: &referenced)
      if let first = seenNames[file.nameBytes] {
        problems.append(SPIFFSProblem(.error, .duplicateName, block: file.headerPage / ppb, page: file.headerPage,
          objectID: file.objectID, "name \(SPIFFSName.display(file.nameBytes)) is also used by the file at page \(first)"))
      } else {
        seenNames[file.nameBytes] = file.headerPage
      }
    }
    for (key, pages) in liveData.sorted(by: { $0.key < $1.key }) {
      let id = UInt16(key >> 16)
      for pix in pages where !referenced.contains(pix) {
        let why = fileIDs.contains(id) ? "not referenced by its file's index" : "its object has no index header"
        problems.append(SPIFFSProblem(.warning, .orphanDataPage, block: pix / ppb, page: pix, objectID: id,
          "data page of span \(key & 0xFFFF) is \(why) (SPIFFS_check would delete it)"))
      }
    }
    for (key, pages) in liveIndex.sorted(by: { $0.key < $1.key }) where key & 0xFFFF != 0 {
      let id = UInt16(key >> 16) & 0x7FFF
      guard !fileIDs.contains(id) else { continue }
      for pix in pages {
        problems.append(SPIFFSProblem(.warning, .orphanIndexPage, block: pix / ppb, page: pix, objectID: id,
          "index page \(key & 0xFFFF) belongs to an object without an index header"))
      }
    }
    return SPIFFSCheckReport(layout: layout, problems: problems, filesChecked: files.count, pagesChecked: pagesChecked)
  }

  private func checkFile(_ file: SPIFFSEntry, liveIndex: [UInt32: [Int]], indexSpans: [UInt16: [Int]],
                         referenced: inout Set<Int>) -> [SPIFFSProblem] {
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
    let indexKey = UInt32(file.objectID | 0x8000) << 16
    var table = file.headerPage, tableSpan = 0, tableMissing = false
    for span in 0..<spans {
      let (indexSpan, slot) = layout.indexLocation(ofDataSpan: span)
      if indexSpan != tableSpan {
        tableSpan = indexSpan
        if let pix = liveIndex[indexKey | UInt32(indexSpan)]?.first {
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
      referenced.insert(dataPage)
    }
    let neededIndexPages = spans == 0 ? 0 : layout.indexLocation(ofDataSpan: spans - 1).indexSpan
    for k in (indexSpans[file.objectID] ?? []) where k > neededIndexPages {
      for pix in liveIndex[indexKey | UInt32(k)] ?? [] {
        add(.warning, .orphanIndexPage, page: pix, "index page \(k) lies beyond the file size \(file.size)")
      }
    }
    return problems
  }
}
