/// One file as `SPIFFS_readdir` reports it, plus where it lives.
public struct SPIFFSEntry: Hashable, Sendable {
  /// The stored name up to its first NUL (at most `nameLength` bytes), raw.
  public var nameBytes: [UInt8]
  /// File size; a header that was never given a size (0xFFFFFFFF, an empty mkspiffs file) reads as 0.
  public var size: Int
  /// Object id without the index flag.
  public var objectID: UInt16
  /// Page index of the object index header.
  public var headerPage: Int
  /// Live pages (header, further index pages and data pages) the lookup tables give to this object.
  public var pages: Int
  /// Object type byte (1 = file).
  public var type: UInt8
  /// The raw metadata bytes (`metadataLength`; empty on ESP8266).
  public var metadata: [UInt8]
  /// True when the name field has no NUL: SPIFFS would read past it.
  public var nameIsUnterminated: Bool

  /// The name for display (invalid UTF-8 becomes U+FFFD).
  public var name: String { String(decoding: nameBytes, as: UTF8.self) }

  /// The ESP-IDF VFS mtime (seconds since 1970) in the first four metadata bytes, when set.
  /// All-0xFF (never written) and all-zero (spiffsgen.py's fill, §6.6) count as unset.
  public var mtime: UInt32? {
    guard metadata.count >= 4 else { return nil }
    let value = UInt32(metadata[0]) | UInt32(metadata[1]) << 8 | UInt32(metadata[2]) << 16
      | UInt32(metadata[3]) << 24
    return value == 0xFFFF_FFFF || value == 0 ? nil : value
  }
}

extension SPIFFSImage {
  /// Files in `SPIFFS_readdir` order: physical lookup order, block by block (§1.8 steps 2–3).
  /// Does not check the magic; call `mount()` first to refuse what SPIFFS refuses.
  public func entries() -> [SPIFFSEntry] {
    let entriesPerBlock = layout.objectPagesPerBlock
    // A flat count per id (ids are 15 bits): cheaper than a dictionary over every lookup entry.
    var pagesPerObject = [Int32](repeating: 0, count: 0x8000)
    for value in lookup where value != 0xFFFF && value != 0 {
      pagesPerObject[Int(value & 0x7FFF)] += 1
    }
    var result: [SPIFFSEntry] = []
    for (slot, value) in lookup.enumerated() where value & 0x8000 != 0 && value != 0xFFFF {
      let pix = layout.pageIndex(block: slot / entriesPerBlock, entry: slot % entriesPerBlock)
      let header = pageHeader(pix)
      guard header.objectID == value, header.spanIndex == 0, Self.isLiveIndex(header) else { continue }
      result.append(entry(headerPage: pix, objectID: value & 0x7FFF, pages: Int(pagesPerObject[Int(value & 0x7FFF)])))
    }
    return result
  }

  func entry(headerPage pix: Int, objectID: UInt16, pages: Int) -> SPIFFSEntry {
    let base = offset(ofPage: pix)
    let rawSize = u32(at: base + layout.indexHeaderSizeOffset)
    let nameStart = base + layout.indexHeaderNameOffset
    let field = bytes[nameStart..<nameStart + layout.nameLength]
    let end = field.firstIndex(of: 0)
    let metaStart = base + layout.indexHeaderMetadataOffset
    return SPIFFSEntry(
      nameBytes: Array(field[..<(end ?? field.endIndex)]),
      size: rawSize == 0xFFFF_FFFF ? 0 : Int(rawSize),
      objectID: objectID,
      headerPage: pix,
      pages: pages,
      type: bytes[base + layout.indexHeaderTypeOffset],
      metadata: Array(bytes[metaStart..<metaStart + layout.metadataLength]),
      nameIsUnterminated: end == nil)
  }

  /// The first file whose name equals `name` byte for byte.
  public func entry(named name: [UInt8]) -> SPIFFSEntry? {
    entries().first { $0.nameBytes == name }
  }

  /// Most file bytes the image could hold at all: every object page a data page.
  public var maximumFileBytes: Int { layout.blockCount * layout.objectPagesPerBlock * layout.dataBytesPerPage }

  /// Reads a file through its index pages, checking every data page's header like SPIFFS's page check
  /// (§1.8 step 4). Work and memory are bounded by the image size.
  public func contents(of entry: SPIFFSEntry) throws(SPIFFSReadError) -> [UInt8] {
    let id = entry.objectID
    func corrupt(_ span: Int, _ page: Int?, _ reason: String) -> SPIFFSReadError {
      .corruptFile(name: entry.nameBytes, objectID: id, span: span, page: page, reason: reason)
    }
    guard entry.size <= maximumFileBytes else {
      throw corrupt(0, entry.headerPage, "size \(entry.size) is larger than the image can hold (\(maximumFileBytes) bytes)")
    }
    guard isObjectPage(entry.headerPage) else { throw corrupt(0, entry.headerPage, "header page is outside the image") }
    let perPage = layout.dataBytesPerPage
    let spans = (entry.size + perPage - 1) / perPage
    var out: [UInt8] = []
    out.reserveCapacity(entry.size)
    var tablePage = entry.headerPage
    var tableSpan = 0
    for span in 0..<spans {
      let (indexSpan, slot) = layout.indexLocation(ofDataSpan: span)
      if indexSpan != tableSpan {
        guard let pix = indexPages[UInt32(id | 0x8000) << 16 | UInt32(indexSpan)] else {
          throw corrupt(span, nil, "index page \(indexSpan) of the object is missing")
        }
        tablePage = pix
        tableSpan = indexSpan
      }
      let entryOffset = offset(ofPage: tablePage) + layout.tableOffset(inIndexSpan: indexSpan) + slot * 2
      let dataPage = Int(u16(at: entryOffset))
      guard dataPage != 0xFFFF else { throw corrupt(span, tablePage, "the index has no page for this span") }
      guard isObjectPage(dataPage) else {
        throw corrupt(span, dataPage, "the index points at page \(dataPage), which is not an object page")
      }
      let header = pageHeader(dataPage)
      guard header.objectID == id, Int(header.spanIndex) == span, Self.isLiveData(header) else {
        throw corrupt(span, dataPage, "the page holds id \(SPIFFSName.hexID(header.objectID)) span \(header.spanIndex) "
          + "flags 0x\(String(header.flags.rawValue, radix: 16)), expected a live data page of this object")
      }
      let start = offset(ofPage: dataPage) + PageHeader.size
      out.append(contentsOf: bytes[start..<start + min(perPage, entry.size - span * perPage)])
    }
    return out
  }

  /// Reads the file named `name`.
  public func contents(ofFileNamed name: [UInt8]) throws(SPIFFSReadError) -> [UInt8] {
    guard let found = entry(named: name) else { throw .fileNotFound(name: name) }
    return try contents(of: found)
  }
}
