/// Every knob that changes SPIFFS bytes on flash, as one value.
///
/// mkspiffs and the device firmware fix these at compile time (`spiffs_config.h`); here they are data, so one
/// binary reads and writes every platform's images. Geometry follows `spiffs-format.md` §1.1–§1.6.
public struct SPIFFSLayout: Hashable, Sendable, CustomStringConvertible {
  /// The platform whose SPIFFS build configuration the image follows.
  public enum Platform: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// ESP8266 Arduino core and mkspiffs `-arduino-esp8266`: meta 0, magic without length, aligned tables.
    case esp8266
    /// arduino-esp32 and mkspiffs `-arduino-esp32`: meta 4, magic with length, unaligned tables.
    case esp32
    /// ESP-IDF defaults (same on-flash format as arduino-esp32; the VFS stores an mtime in the meta bytes).
    case espIDF = "esp-idf"

    public var description: String { rawValue }
  }

  /// Total partition (image) size in bytes. Bytes past the last whole block stay 0xFF.
  public var imageSize: Int
  /// Logical block size (mkspiffs `-b`).
  public var blockSize: Int
  /// Logical page size (mkspiffs `-p`); 256 everywhere in the Arduino world.
  public var pageSize: Int
  /// `SPIFFS_OBJ_NAME_LEN`: bytes for the name including its NUL.
  public var nameLength: Int
  /// `SPIFFS_OBJ_META_LEN`: opaque metadata bytes after the name (ESP32: 4, an mtime under ESP-IDF).
  public var metadataLength: Int
  /// `SPIFFS_USE_MAGIC`: a magic u16 in every block's lookup area.
  public var usesMagic: Bool
  /// `SPIFFS_USE_MAGIC_LENGTH`: the magic is XORed with `blockCount - block`.
  public var magicIncludesLength: Bool
  /// `SPIFFS_ALIGNED_OBJECT_INDEX_TABLES`: the index-header struct is padded to an even size.
  public var alignsObjectIndexTables: Bool
  /// `SPIFFS_GC_MAX_RUNS`: garbage-collection passes one call may make before giving up (ESP8266 5, ESP32 10).
  public var gcMaxRuns: Int

  public init(
    imageSize: Int, blockSize: Int, pageSize: Int = 256, nameLength: Int = 32, metadataLength: Int,
    usesMagic: Bool = true, magicIncludesLength: Bool, alignsObjectIndexTables: Bool, gcMaxRuns: Int
  ) {
    self.imageSize = imageSize
    self.blockSize = blockSize
    self.pageSize = pageSize
    self.nameLength = nameLength
    self.metadataLength = metadataLength
    self.usesMagic = usesMagic
    self.magicIncludesLength = magicIncludesLength
    self.alignsObjectIndexTables = alignsObjectIndexTables
    self.gcMaxRuns = gcMaxRuns
  }

  /// The build configuration of `platform` (`spiffs-format.md` §6.1) with the given geometry.
  public init(platform: Platform, imageSize: Int, blockSize: Int, pageSize: Int = 256) {
    switch platform {
    case .esp8266:
      // mkspiffs 0.2.0 -arduino-esp8266: -DSPIFFS_USE_MAGIC_LENGTH=0 -DSPIFFS_ALIGNED_OBJECT_INDEX_TABLES=1
      self.init(imageSize: imageSize, blockSize: blockSize, pageSize: pageSize, metadataLength: 0,
                magicIncludesLength: false, alignsObjectIndexTables: true, gcMaxRuns: 5)
    case .esp32, .espIDF:
      // mkspiffs 0.2.3 -arduino-esp32 (-DSPIFFS_OBJ_META_LEN=4) and ESP-IDF Kconfig defaults.
      self.init(imageSize: imageSize, blockSize: blockSize, pageSize: pageSize, metadataLength: 4,
                magicIncludesLength: true, alignsObjectIndexTables: false, gcMaxRuns: 10)
    }
  }

  /// The platform this configuration matches, or nil for a custom combination.
  public var platform: Platform? {
    if metadataLength == 0, !magicIncludesLength, alignsObjectIndexTables, nameLength == 32 { return .esp8266 }
    if metadataLength == 4, magicIncludesLength, !alignsObjectIndexTables, nameLength == 32 { return .esp32 }
    return nil
  }

  // MARK: Derived geometry (§1.1)

  /// `N = floor(imageSize / blockSize)`.
  public var blockCount: Int { imageSize / blockSize }
  /// `PPB = blockSize / pageSize`.
  public var pagesPerBlock: Int { blockSize / pageSize }
  /// Pages in the whole image that belong to a block (`N * PPB`).
  public var pageCount: Int { blockCount * pagesPerBlock }
  /// `L = max(1, floor(PPB * 2 / P))`: lookup pages at the start of every block.
  public var lookupPagesPerBlock: Int { max(1, pagesPerBlock * 2 / pageSize) }
  /// `E = PPB - L`: pages per block that hold objects, one lookup entry each.
  public var objectPagesPerBlock: Int { pagesPerBlock - lookupPagesPerBlock }
  /// Bytes of file data in one data page (`P - 5`).
  public var dataBytesPerPage: Int { pageSize - PageHeader.size }
  /// The longest name, in bytes including the leading `/` (the last byte is the NUL).
  public var maxNameBytes: Int { nameLength - 1 }

  /// Byte offset, from the block start, of the magic u16 (second-to-last lookup slot).
  public var magicOffsetInBlock: Int { lookupPagesPerBlock * pageSize - 4 }
  /// Byte offset, from the block start, of the erase-count u16 (last lookup slot).
  public var eraseCountOffsetInBlock: Int { lookupPagesPerBlock * pageSize - 2 }

  /// Size of the object index header struct before its page table (§1.5): 46 on ESP8266, 49 on ESP32.
  public var indexHeaderSize: Int {
    let raw = PageHeader.size + 3 + 4 + 1 + nameLength + metadataLength
    return alignsObjectIndexTables ? (raw + 1) & ~1 : raw
  }
  /// Offset of the size field in an index header page.
  public var indexHeaderSizeOffset: Int { 8 }
  /// Offset of the type byte.
  public var indexHeaderTypeOffset: Int { 12 }
  /// Offset of the name.
  public var indexHeaderNameOffset: Int { 13 }
  /// Offset of the metadata bytes.
  public var indexHeaderMetadataOffset: Int { 13 + nameLength }
  /// Data-page entries in the index header page (105 on ESP8266, 103 on ESP32).
  public var entriesInIndexHeader: Int { (pageSize - indexHeaderSize) / 2 }
  /// Offset of the entry table in a non-header index page.
  public var indexPageTableOffset: Int { 8 }
  /// Data-page entries in each further index page (124 for P=256).
  public var entriesPerIndexPage: Int { (pageSize - indexPageTableOffset) / 2 }

  /// Which index page (0 = the header) holds data span `span`, and at which entry.
  public func indexLocation(ofDataSpan span: Int) -> (indexSpan: Int, entry: Int) {
    if span < entriesInIndexHeader { return (0, span) }
    let rest = span - entriesInIndexHeader
    return (1 + rest / entriesPerIndexPage, rest % entriesPerIndexPage)
  }

  /// Object pages one file of `size` bytes occupies when written compactly: the header, its data pages, and
  /// the further index pages those need (§1.5, §1.6). The builders, the fit checks and `info` all count this way.
  public func pagesNeeded(forFileOfSize size: Int) -> Int {
    let data = (max(0, size) + dataBytesPerPage - 1) / dataBytesPerPage
    return 1 + data + extraIndexPages(forDataPages: data)
  }

  /// Index pages beyond the header that `data` data pages need.
  func extraIndexPages(forDataPages data: Int) -> Int {
    data > entriesInIndexHeader ? (data - entriesInIndexHeader + entriesPerIndexPage - 1) / entriesPerIndexPage : 0
  }

  /// The byte offset of the entry table in index page `indexSpan`.
  public func tableOffset(inIndexSpan indexSpan: Int) -> Int {
    indexSpan == 0 ? indexHeaderSize : indexPageTableOffset
  }

  /// The magic u16 of `block` (§1.2): `(0x20140529 ^ P [^ (N - block)]) & 0xFFFF`.
  public func magic(forBlock block: Int) -> UInt16 {
    var value = UInt32(0x2014_0529) ^ UInt32(truncatingIfNeeded: pageSize)
    if magicIncludesLength { value ^= UInt32(truncatingIfNeeded: blockCount - block) }
    return UInt16(truncatingIfNeeded: value)
  }

  /// Page index of the object page that lookup entry `entry` of `block` describes.
  public func pageIndex(block: Int, entry: Int) -> Int {
    block * pagesPerBlock + lookupPagesPerBlock + entry
  }

  /// The block and lookup entry of object page `pageIndex`, or nil for a lookup page.
  public func lookupEntry(ofPage pageIndex: Int) -> (block: Int, entry: Int)? {
    let inBlock = pageIndex % pagesPerBlock
    guard inBlock >= lookupPagesPerBlock else { return nil }
    return (pageIndex / pagesPerBlock, inBlock - lookupPagesPerBlock)
  }

  // MARK: Validation

  /// Throws `LayoutError` naming the first impossible combination; SPIFFS itself would refuse it or
  /// silently misbehave.
  public func validate() throws(LayoutError) {
    func fail(_ reason: String) -> LayoutError { LayoutError(layout: self, reason: reason) }
    guard pageSize >= 64, pageSize <= 0x8000, pageSize & (pageSize - 1) == 0 else {
      throw fail("page size \(pageSize) must be a power of two between 64 and 32768")
    }
    guard blockSize >= pageSize * 2, blockSize % pageSize == 0, blockSize & (blockSize - 1) == 0 else {
      throw fail("block size \(blockSize) must be a power of two and at least two pages (\(pageSize * 2))")
    }
    guard blockSize <= 0x10_0000 else { throw fail("block size \(blockSize) is larger than 1 MiB") }
    guard imageSize > 0 else { throw fail("image size must be positive") }
    guard blockCount >= 3 else {
      throw fail("image size \(imageSize) holds \(blockCount) block(s) of \(blockSize) bytes; SPIFFS needs at least 3")
    }
    // Page, block and object ids are u16 in every Arduino configuration.
    guard pageCount <= 0xFFFF else {
      throw fail("\(pageCount) pages do not fit a 16-bit page index; use a larger page size")
    }
    guard nameLength >= 2, nameLength <= 255 else { throw fail("name length \(nameLength) is out of range 2…255") }
    guard metadataLength >= 0, metadataLength <= 64 else {
      throw fail("metadata length \(metadataLength) is out of range 0…64")
    }
    guard entriesInIndexHeader >= 1, nameLength + metadataLength + 64 <= pageSize else {
      throw fail("name (\(nameLength)) + metadata (\(metadataLength)) + 64 exceeds the page size \(pageSize)")
    }
    // SPIFFS_ERR_MAGIC_NOT_POSSIBLE: lookup entries would run into the magic and erase-count slots.
    if usesMagic, objectPagesPerBlock > lookupPagesPerBlock * pageSize / 2 - 2 {
      throw fail("with \(pagesPerBlock) pages per block the lookup entries collide with the magic slot")
    }
    guard gcMaxRuns >= 1 else { throw fail("GC run limit must be at least 1") }
  }

  public var description: String {
    let name = platform.map(\.rawValue) ?? "custom"
    return "\(name) size=\(imageSize) block=\(blockSize) page=\(pageSize)"
  }
}

/// A layout that SPIFFS cannot use, with the reason.
public struct LayoutError: Error, Hashable, Sendable, CustomStringConvertible {
  public var layout: SPIFFSLayout
  public var reason: String
  public init(layout: SPIFFSLayout, reason: String) {
    self.layout = layout
    self.reason = reason
  }
  public var description: String { "invalid SPIFFS layout (\(layout)): \(reason)" }
}
