/// A read-only view of a SPIFFS image under one layout.
///
/// Construction checks only what makes every later access safe (a valid layout, enough bytes for all
/// blocks), so a damaged image can still be inspected by `check()`. `mount()` adds the magic test SPIFFS
/// itself applies (§1.2). Nothing here writes: a mount on a device may erase a block or repair pages
/// (§9.13), a reader must not.
public struct SPIFFSImage: Sendable {
  public let layout: SPIFFSLayout
  public let bytes: [UInt8]
  /// The lookup value of every object page, indexed by `block * E + entry` (§1.2).
  let lookup: [UInt16]
  /// Live index pages by `(id | 0x8000) << 16 | span` (§1.8 step 4.1); where several exist, the one
  /// `resolveIndexPage` picks.
  let indexPages: [UInt32: Int]
  /// Keys with more than one live index page, and all of them in lookup order (rare: see IndexPageResolution).
  let duplicateIndexPages: [UInt32: [Int]]

  public init(bytes: [UInt8], layout: SPIFFSLayout) throws(SPIFFSReadError) {
    do { try layout.validate() } catch { throw .invalidLayout(error) }
    let needed = layout.blockCount * layout.blockSize
    guard bytes.count >= needed else {
      throw .truncated(imageBytes: bytes.count, neededBytes: needed, layout: layout)
    }
    self.layout = layout
    self.bytes = bytes
    let entries = layout.objectPagesPerBlock
    var lookup = [UInt16](repeating: 0xFFFF, count: layout.blockCount * entries)
    for block in 0..<layout.blockCount {
      let base = block * layout.blockSize
      for entry in 0..<entries {
        let offset = base + entry * 2
        lookup[block * entries + entry] = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
      }
    }
    self.lookup = lookup
    var indexPages: [UInt32: Int] = [:]
    var duplicates: [UInt32: [Int]] = [:]
    for (slot, value) in lookup.enumerated() where value & 0x8000 != 0 && value != 0xFFFF {
      let pix = layout.pageIndex(block: slot / entries, entry: slot % entries)
      let header = Self.header(bytes, layout, pix)
      guard header.objectID == value, Self.isLiveIndex(header) else { continue }
      let key = UInt32(value) << 16 | UInt32(header.spanIndex)
      if let first = indexPages[key] {
        duplicates[key, default: [first]].append(pix)
      } else {
        indexPages[key] = pix
      }
    }
    for (key, pages) in duplicates where key & 0xFFFF != 0 {
      indexPages[key] = Self.resolveIndexPage(pages, key: key, bytes: bytes, layout: layout,
                                              headerPage: indexPages[key & 0xFFFF_0000])
    }
    self.indexPages = indexPages
    self.duplicateIndexPages = duplicates
  }

  // MARK: Raw access (offsets are in range by construction: every page lies inside N*B bytes)

  func u16(at offset: Int) -> UInt16 {
    UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }

  func u32(at offset: Int) -> UInt32 {
    UInt32(u16(at: offset)) | UInt32(u16(at: offset + 2)) << 16
  }

  /// Byte offset of page `pix`.
  func offset(ofPage pix: Int) -> Int { pix * layout.pageSize }

  static func header(_ bytes: [UInt8], _ layout: SPIFFSLayout, _ pix: Int) -> PageHeader {
    let o = pix * layout.pageSize
    return PageHeader(objectID: UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8,
                      spanIndex: UInt16(bytes[o + 2]) | UInt16(bytes[o + 3]) << 8,
                      flags: PageFlags(rawValue: bytes[o + 4]))
  }

  /// The page header of object page `pix`.
  public func pageHeader(_ pix: Int) -> PageHeader { Self.header(bytes, layout, pix) }

  /// The lookup value of `entry` in `block`.
  public func lookupValue(block: Int, entry: Int) -> UInt16 {
    lookup[block * layout.objectPagesPerBlock + entry]
  }

  /// True when `pix` is an object page inside the image (not a lookup page, not past the last block).
  public func isObjectPage(_ pix: Int) -> Bool {
    pix >= 0 && pix < layout.pageCount && layout.lookupEntry(ofPage: pix) != nil
  }

  // MARK: Page predicates (§1.3, §1.8)

  /// USED, FINAL and INDEX cleared, DELET set: an index page SPIFFS would find.
  static func isLiveIndex(_ header: PageHeader) -> Bool {
    let f = header.flags
    guard f.isUsed, f.isFinal, f.isIndex, !f.isDeleted else { return false }
    return header.spanIndex != 0 || !f.isIndexBeingDeleted
  }

  /// USED and FINAL cleared, INDEX and DELET set: a data page that passes SPIFFS's page check.
  static func isLiveData(_ header: PageHeader) -> Bool {
    let f = header.flags
    return f.isUsed && f.isFinal && !f.isIndex && !f.isDeleted
  }

  // MARK: Blocks

  /// The magic u16 stored in `block`.
  public func storedMagic(block: Int) -> UInt16 {
    u16(at: block * layout.blockSize + layout.magicOffsetInBlock)
  }

  /// The erase count stored in `block`.
  public func eraseCount(block: Int) -> UInt16 {
    u16(at: block * layout.blockSize + layout.eraseCountOffsetInBlock)
  }

  /// Blocks whose magic differs from the layout's (empty when magic is off).
  public func blocksWithBadMagic() -> [Int] {
    guard layout.usesMagic else { return [] }
    return (0..<layout.blockCount).filter { storedMagic(block: $0) != layout.magic(forBlock: $0) }
  }

  /// Throws `notAFileSystem` when SPIFFS would refuse to mount (two or more blocks without magic).
  public func mount() throws(SPIFFSReadError) {
    let bad = blocksWithBadMagic()
    if bad.count > 1 {
      throw .notAFileSystem(badBlocks: bad, blockCount: layout.blockCount, layout: layout)
    }
  }
}
