/// The layout's derived numbers as plain `Int`s, computed once: the builders read them in every inner loop.
struct BuildGeometry {
  /// The layout these numbers come from, for the per-file formulas it already has.
  let layout: SPIFFSLayout
  /// Page size P.
  let pageSize: Int
  /// Block size B.
  let block: Int
  /// Blocks N.
  let blocks: Int
  /// Pages per block.
  let pagesPerBlock: Int
  /// Lookup pages per block L.
  let lookupPages: Int
  /// Object pages per block E (= lookup entries per block).
  let entries: Int
  /// File bytes per data page (P - 5).
  let dataPerPage: Int
  /// Index header struct size H: the header's page table starts here (46 ESP8266, 49 ESP32).
  let headerSize: Int
  /// Data-page entries in the index header (105 / 103).
  let headerEntries: Int
  /// Data-page entries in every further index page (124 for P = 256).
  let indexEntries: Int
  let nameLength: Int
  let metadataLength: Int
  /// Whether the header struct carries a pad byte after name + meta (`SPIFFS_ALIGNED_OBJECT_INDEX_TABLES`).
  let padByteOffset: Int?

  init(_ layout: SPIFFSLayout) {
    self.layout = layout
    pageSize = layout.pageSize
    block = layout.blockSize
    blocks = layout.blockCount
    pagesPerBlock = layout.pagesPerBlock
    lookupPages = layout.lookupPagesPerBlock
    entries = layout.objectPagesPerBlock
    dataPerPage = layout.dataBytesPerPage
    headerSize = layout.indexHeaderSize
    headerEntries = layout.entriesInIndexHeader
    indexEntries = layout.entriesPerIndexPage
    nameLength = layout.nameLength
    metadataLength = layout.metadataLength
    let unpadded = layout.indexHeaderMetadataOffset + layout.metadataLength
    padByteOffset = layout.indexHeaderSize > unpadded ? unpadded : nil
  }

  /// Page index of lookup entry `entry` of `block`.
  @inline(__always) func pageIndex(block b: Int, entry e: Int) -> Int { b * pagesPerBlock + lookupPages + e }

  /// Flat lookup-entry number (`block * E + entry`) of object page `page`.
  @inline(__always) func lookupSlot(ofPage page: Int) -> Int {
    (page / pagesPerBlock) * entries + (page % pagesPerBlock) - lookupPages
  }

  /// Object page of flat lookup-entry number `slot`.
  @inline(__always) func pageIndex(slot: Int) -> Int { pageIndex(block: slot / entries, entry: slot % entries) }

  /// Index page (0 = header) that holds data span `span` (§1.6, `SPIFFS_OBJ_IX_ENTRY_SPAN_IX`).
  @inline(__always) func indexSpan(ofDataSpan span: Int) -> Int {
    span < headerEntries ? 0 : 1 + (span - headerEntries) / indexEntries
  }

  /// Byte offset, inside index page `indexSpan`, of the table entry for data span `span`.
  @inline(__always) func tableEntryOffset(indexSpan k: Int, dataSpan span: Int) -> Int {
    k == 0 ? headerSize + 2 * span : 8 + 2 * ((span - headerEntries) % indexEntries)
  }

  /// Data pages a file of `size` bytes occupies.
  @inline(__always) func dataPages(forSize size: Int) -> Int { (size + dataPerPage - 1) / dataPerPage }

  /// Object pages SPIFFS lets a writer fill: it keeps two blocks' worth free for garbage collection
  /// (`spiffs_gc_check`: `free_pages = E * (N - 2) - allocated - deleted`).
  var writablePages: Int { entries * (blocks - 2) }
}

/// Little-endian stores into a byte buffer: SPIFFS is little-endian on every chip and host (§1).
extension Array where Element == UInt8 {
  @inline(__always) mutating func storeLE16(_ value: UInt16, at offset: Int) {
    self[offset] = UInt8(truncatingIfNeeded: value)
    self[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
  }

  @inline(__always) mutating func storeLE32(_ value: UInt32, at offset: Int) {
    self[offset] = UInt8(truncatingIfNeeded: value)
    self[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    self[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
    self[offset + 3] = UInt8(truncatingIfNeeded: value >> 24)
  }

  @inline(__always) func loadLE16(at offset: Int) -> UInt16 {
    UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
  }
}

/// Writes the first H bytes of an object index header page (§1.5) into `buffer` at `base`, the way
/// `spiffs_object_create` does. The three gap bytes and the ESP8266 pad byte, which mkspiffs leaves as stack
/// garbage (§8), are written as 0xFF; the page table after H is left untouched (0xFF on a fresh page).
func writeIndexHeader(
  into buffer: inout [UInt8], at base: Int, geometry: BuildGeometry, objectID: UInt16, size: UInt32,
  name: [UInt8], metadata: [UInt8]?
) {
  buffer.storeLE16(SPIFFSObjectID.index(objectID), at: base)
  buffer.storeLE16(0, at: base + 2)
  buffer[base + 4] = PageFlags.index.rawValue
  buffer[base + 5] = 0xFF
  buffer[base + 6] = 0xFF
  buffer[base + 7] = 0xFF
  buffer.storeLE32(size, at: base + 8)
  buffer[base + 12] = 1  // SPIFFS_TYPE_FILE
  // strncpy(name, NAME_LEN): the name, then zeros up to the field's end.
  let nameBase = base + 13
  for i in 0..<geometry.nameLength { buffer[nameBase + i] = i < name.count ? name[i] : 0 }
  let metaBase = nameBase + geometry.nameLength
  for i in 0..<geometry.metadataLength { buffer[metaBase + i] = metadata.map { i < $0.count ? $0[i] : 0xFF } ?? 0xFF }
  if let pad = geometry.padByteOffset { buffer[base + pad] = 0xFF }
}
