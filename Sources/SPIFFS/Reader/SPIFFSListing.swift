/// Listing straight from image bytes the caller holds (for example a memory-mapped file), reading only what
/// `SPIFFS_readdir` reads: the lookup pages of every block and the pages they mark as index pages (§1.8
/// steps 2–3). `SPIFFSImage` needs an owned copy of every page (for `check`, `contents`, duplicate index
/// resolution); a listing of a 14 MB image needs about 3% of it, so copying the rest is wasted work.
///
/// The same generic code serves `SPIFFSImage.entries()`, so both give identical results.
extension SPIFFSImage {
  /// The files in `bytes` under `layout`, in `SPIFFS_readdir` order; the same checks as `init(bytes:layout:)`.
  /// Does not check the magic; call `blocksWithBadMagic(in:layout:)` first to refuse what SPIFFS refuses.
  public static func entries(in bytes: UnsafeRawBufferPointer, layout: SPIFFSLayout) throws(SPIFFSReadError)
    -> [SPIFFSEntry]
  {
    try checkSize(bytes.count, layout)
    return listEntries(bytes, layout)
  }

  /// Blocks whose magic differs from `layout`'s (reads one u16 per block).
  public static func blocksWithBadMagic(in bytes: UnsafeRawBufferPointer, layout: SPIFFSLayout)
    throws(SPIFFSReadError) -> [Int]
  {
    try checkSize(bytes.count, layout)
    return badMagicBlocks(bytes, layout)
  }

  /// What `init(bytes:layout:)` requires before any page is read.
  static func checkSize(_ count: Int, _ layout: SPIFFSLayout) throws(SPIFFSReadError) {
    do { try layout.validate() } catch { throw .invalidLayout(error) }
    let needed = layout.blockCount * layout.blockSize
    guard count >= needed else { throw .truncated(imageBytes: count, neededBytes: needed, layout: layout) }
  }

  static func badMagicBlocks<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ layout: SPIFFSLayout) -> [Int]
  where Bytes.Index == Int {
    guard layout.usesMagic else { return [] }
    return (0..<layout.blockCount).filter { block in
      let o = block * layout.blockSize + layout.magicOffsetInBlock
      return UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8 != layout.magic(forBlock: block)
    }
  }

  static func listEntries<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ layout: SPIFFSLayout) -> [SPIFFSEntry]
  where Bytes.Index == Int {
    let perBlock = layout.objectPagesPerBlock
    func lookupValue(_ block: Int, _ entry: Int) -> UInt16 {
      let o = block * layout.blockSize + entry * 2
      return UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8
    }
    // A flat count per id (ids are 15 bits): cheaper than a dictionary over every lookup entry.
    var pagesPerObject = [Int32](repeating: 0, count: 0x8000)
    for block in 0..<layout.blockCount {
      for entry in 0..<perBlock {
        let value = lookupValue(block, entry)
        if value != 0xFFFF && value != 0 { pagesPerObject[Int(value & 0x7FFF)] += 1 }
      }
    }
    var result: [SPIFFSEntry] = []
    for block in 0..<layout.blockCount {
      for slot in 0..<perBlock {
        let value = lookupValue(block, slot)
        guard value & 0x8000 != 0 && value != 0xFFFF else { continue }
        let pix = layout.pageIndex(block: block, entry: slot)
        let o = pix * layout.pageSize
        let header = PageHeader(objectID: UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8,
                                spanIndex: UInt16(bytes[o + 2]) | UInt16(bytes[o + 3]) << 8,
                                flags: PageFlags(rawValue: bytes[o + 4]))
        guard header.objectID == value, header.spanIndex == 0, isLiveIndex(header) else { continue }
        result.append(entry(bytes, layout, headerPage: pix, objectID: value & 0x7FFF,
                            pages: Int(pagesPerObject[Int(value & 0x7FFF)])))
      }
    }
    return result
  }

  static func entry<Bytes: RandomAccessCollection<UInt8>>(
    _ bytes: Bytes, _ layout: SPIFFSLayout, headerPage pix: Int, objectID: UInt16, pages: Int
  ) -> SPIFFSEntry where Bytes.Index == Int {
    let base = pix * layout.pageSize
    func u16(_ o: Int) -> UInt32 { UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 }
    let rawSize = u16(base + layout.indexHeaderSizeOffset) | u16(base + layout.indexHeaderSizeOffset + 2) << 16
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
}
