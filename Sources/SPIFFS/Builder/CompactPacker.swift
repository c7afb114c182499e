/// Lays files out as a SPIFFS that wrote each file in one go would, minus everything it throws away.
///
/// * Object ids 1, 2, 3, … in build order.
/// * Pages are handed out in physical order (block 0 entry 0 onwards, skipping lookup pages), per file:
///   the index header, its data pages 0 ..< HE, then index page 1 followed by the data pages it covers, index
///   page 2, … That is the order `spiffs_object_append` allocates them in (an index page just before the
///   first data page it covers), without the header copies it leaves behind.
/// * Each header is written once, with the final size; an empty file keeps 0xFFFFFFFF, like a file SPIFFS
///   created and closed without writing.
/// * Flags and lookup values are those of live pages (0xF8 index, 0xFC data); erase counts 0; no deleted pages.
/// * At most `E*(N-2)` pages are used: SPIFFS' own writers stop there so that garbage collection always has
///   two free blocks to work with, and the device must be able to keep writing to this image.
struct CompactPacker {
  let geometry: BuildGeometry
  let layout: SPIFFSLayout

  init(layout: SPIFFSLayout) {
    self.layout = layout
    geometry = BuildGeometry(layout)
  }

  /// Object pages (headers, index pages, data pages) that `files` need in this layout.
  static func pages(for files: [some SPIFFSFileDescription], geometry: BuildGeometry) -> Int {
    var total = 0
    for file in files {
      total += geometry.layout.pagesNeeded(forFileOfSize: file.byteCount)
    }
    return total
  }

  /// Image bytes (whole blocks, including the two GC reserve blocks) the files need.
  static func requiredImageBytes(for files: [some SPIFFSFileDescription], geometry: BuildGeometry) -> Int {
    let pages = Self.pages(for: files, geometry: geometry)
    let blocks = max(3, (pages + geometry.entries - 1) / geometry.entries + 2)
    return blocks * geometry.block
  }

  /// Builds the image, asking `load(n)` for file n's bytes when it packs it. The caller has checked that the
  /// pages fit; bytes of another length than planned are refused.
  func pack(_ files: [some SPIFFSFileDescription], load: (Int) -> [UInt8])
    throws(SPIFFSBuildError) -> (image: [UInt8], pagesUsed: Int, ids: [UInt16]) {
    let p = geometry.pageSize
    var image = [UInt8](repeating: 0xFF, count: layout.imageSize)
    var lookup = [UInt16](repeating: SPIFFSObjectID.free, count: geometry.blocks * geometry.entries)
    var slot = 0
    var ids: [UInt16] = []
    ids.reserveCapacity(files.count)

    func take(_ value: UInt16) -> Int {
      lookup[slot] = value
      defer { slot += 1 }
      return geometry.pageIndex(slot: slot)
    }

    for (n, file) in files.enumerated() {
      let id = UInt16(n + 1)
      ids.append(id)
      let size = file.byteCount
      let contents = load(n)
      guard contents.count == size else {
        throw .fileChanged(name: file.displayName, plannedBytes: size, actualBytes: contents.count)
      }
      let header = take(SPIFFSObjectID.index(id))
      writeIndexHeader(
        into: &image, at: header * p, geometry: geometry, objectID: id,
        size: size == 0 ? 0xFFFF_FFFF : UInt32(size), name: file.nameBytes, metadata: file.metadata)
      var indexBase = header * p
      let dataPages = geometry.dataPages(forSize: size)
      contents.withUnsafeBufferPointer { src in
        for span in 0..<dataPages {
          let k = geometry.indexSpan(ofDataSpan: span)
          if k > 0, (span - geometry.headerEntries) % geometry.indexEntries == 0 {
            let ix = take(SPIFFSObjectID.index(id))
            indexBase = ix * p
            image.storeLE16(SPIFFSObjectID.index(id), at: indexBase)
            image.storeLE16(UInt16(k), at: indexBase + 2)
            image[indexBase + 4] = PageFlags.index.rawValue
          }
          let dataPix = take(id)
          let base = dataPix * p
          image.storeLE16(id, at: base)
          image.storeLE16(UInt16(truncatingIfNeeded: span), at: base + 2)
          image[base + 4] = PageFlags.data.rawValue
          let start = span * geometry.dataPerPage
          let count = min(geometry.dataPerPage, size - start)
          image.withUnsafeMutableBufferPointer { dst in
            (dst.baseAddress! + base + 5).update(from: src.baseAddress! + start, count: count)
          }
          image.storeLE16(UInt16(dataPix), at: indexBase + geometry.tableEntryOffset(indexSpan: k, dataSpan: span))
        }
      }
    }

    for b in 0..<geometry.blocks {
      let base = b * geometry.block
      for e in 0..<geometry.entries { image.storeLE16(lookup[b * geometry.entries + e], at: base + 2 * e) }
      if layout.usesMagic { image.storeLE16(layout.magic(forBlock: b), at: base + layout.magicOffsetInBlock) }
      image.storeLE16(0, at: base + layout.eraseCountOffsetInBlock)
    }
    return (image, slot, ids)
  }
}
