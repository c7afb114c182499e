/// Replays what mkspiffs does to pack files, step for step (§2.7, §2.8), on a `SimulatedFlash`.
///
/// mkspiffs opens each file with `SPIFFS_open(CREAT)` and feeds it one byte per `SPIFFS_write`; the
/// per-descriptor write cache (one page) turns that into `spiffs_object_append` calls of exactly P bytes at
/// offsets 0, P, 2P, … plus a final partial chunk on close. Each append rewrites or moves the index header,
/// which is where mkspiffs' deleted pages come from. Garbage collection (`MkspiffsPacker+GC.swift`) runs from
/// the same places SPIFFS runs it: before the create and before every append.
struct MkspiffsPacker {
  var flash: SimulatedFlash
  var ids: ObjectIDAllocator
  let geometry: BuildGeometry
  /// Live index pages: `objectID << 16 | indexSpan` → page. Stands in for `spiffs_obj_lu_find_id_and_span`,
  /// which finds the single live, final index page with that id and span.
  var indexPages: [Int: Int] = [:]
  /// `fs->work`: the one page buffer SPIFFS shares between append and GC.
  var work: [UInt8]
  /// Garbage-collection passes (`spiffs_gc_clean` + erase) run so far.
  var gcPasses = 0

  init(layout: SPIFFSLayout) {
    geometry = BuildGeometry(layout)
    flash = SimulatedFlash(layout: layout, geometry: geometry)
    ids = ObjectIDAllocator(geometry: geometry)
    work = [UInt8](repeating: 0xFF, count: geometry.pageSize)
  }

  @inline(__always) static func key(_ id: UInt16, _ span: Int) -> Int { Int(id) << 16 | span }

  /// Packs one file the way mkspiffs' `addFile` does; returns its object id.
  mutating func add(_ file: SPIFFSFile) throws(FlashFull) -> UInt16 {
    guard let id = ids.next() else { throw FlashFull(outOfObjectIDs: true) }
    // spiffs_object_create: GC check for one data page, then the header page with size 0xFFFFFFFF.
    try gcCheck(length: geometry.dataPerPage)
    let header = try flash.allocate(SPIFFSObjectID.index(id))
    writeIndexHeader(
      into: &flash.image, at: header * geometry.pageSize, geometry: geometry, objectID: id, size: 0xFFFF_FFFF,
      name: file.nameBytes, metadata: file.metadata)
    indexPages[Self.key(id, 0)] = header
    ids.markUsed(id)

    var size: UInt32 = 0xFFFF_FFFF
    var offset = 0
    let contents = file.contents
    while offset < contents.count {
      let length = min(geometry.pageSize, contents.count - offset)
      try append(id: id, offset: offset, length: length, from: contents, size: &size)
      offset += length
    }
    return id
  }

  // MARK: spiffs_object_append

  /// Appends `contents[offset ..< offset+length]` to object `id`, whose size so far is `size`
  /// (`fd->size`; 0xFFFFFFFF until the first append).
  mutating func append(
    id: UInt16, offset: Int, length: Int, from contents: [UInt8], size: inout UInt32
  ) throws(FlashFull) {
    try gcCheck(length: length + geometry.dataPerPage)
    let p = geometry.pageSize
    var written = 0
    var previous = -1
    var current = -1
    var currentPage = indexPages[Self.key(id, 0)]!
    var span = offset / geometry.dataPerPage
    var pageOffset = offset % geometry.dataPerPage

    while written < length {
      current = geometry.indexSpan(ofDataSpan: span)
      if current != previous {
        if written > 0 {
          // Leaving index page `previous`: store it and the size reached so far.
          if previous == 0 {
            work.storeLE32(UInt32(offset + written), at: 8)
            if offset == 0 {
              flash.writePage(currentPage, from: work)
            } else {
              try updateHeader(id: id, usingWork: true, size: UInt32(offset + written))
            }
          } else {
            flash.writePage(currentPage, from: work)
            try updateHeader(id: id, usingWork: false, size: UInt32(offset + written))
          }
          size = UInt32(offset + written)
        }
        if current == 0 {
          currentPage = indexPages[Self.key(id, 0)]!
          flash.readPage(currentPage, into: &work)
        } else {
          let lastSpan = Int((size &- 1) / UInt32(geometry.dataPerPage))
          let lastIndexSpan = UInt16(truncatingIfNeeded: geometry.indexSpan(ofDataSpan: lastSpan))
          if written > 0 || current > Int(lastIndexSpan) {
            currentPage = try flash.allocate(SPIFFSObjectID.index(id))
            for i in 0..<p { work[i] = 0xFF }
            work.storeLE16(SPIFFSObjectID.index(id), at: 0)
            work.storeLE16(UInt16(current), at: 2)
            work[4] = PageFlags.index.rawValue
            for i in 0..<5 { flash.image[currentPage * p + i] = work[i] }
            indexPages[Self.key(id, current)] = currentPage
          } else {
            currentPage = indexPages[Self.key(id, current)]!
            flash.readPage(currentPage, into: &work)
          }
          size = UInt32(offset + written)
        }
        previous = current
      }

      let n = min(length - written, geometry.dataPerPage - pageOffset)
      let dataPix: Int
      if pageOffset == 0 {
        dataPix = try flash.allocate(id)
        let base = dataPix * p
        flash.image.storeLE16(id, at: base)
        flash.image.storeLE16(UInt16(truncatingIfNeeded: span), at: base + 2)
        flash.image[base + 4] = PageFlags.data.rawValue
        copyData(contents, from: offset + written, count: n, toPage: dataPix, at: 5)
      } else {
        dataPix = Int(work.loadLE16(at: geometry.tableEntryOffset(indexSpan: current, dataSpan: span)))
        copyData(contents, from: offset + written, count: n, toPage: dataPix, at: 5 + pageOffset)
      }
      work.storeLE16(UInt16(dataPix), at: geometry.tableEntryOffset(indexSpan: current, dataSpan: span))
      if current == 0 { work.storeLE32(UInt32(offset + written), at: 8) }
      pageOffset = 0
      span += 1
      written += n
    }

    size = UInt32(offset + written)
    if current != 0 {
      flash.writePage(currentPage, from: work)
      try updateHeader(id: id, usingWork: false, size: size)
    } else if offset == 0 {
      work.storeLE32(size, at: 8)
      flash.writePage(currentPage, from: work)
    } else {
      try updateHeader(id: id, usingWork: true, size: size)
    }
  }

  /// `spiffs_object_update_index_hdr`: the header (from `work`, or loaded into `work`) gets the new size and
  /// moves to a fresh page; the old one is deleted.
  mutating func updateHeader(id: UInt16, usingWork: Bool, size: UInt32) throws(FlashFull) {
    let old = indexPages[Self.key(id, 0)]!
    if !usingWork { flash.readPage(old, into: &work) }
    if size != 0 { work.storeLE32(size, at: 8) }
    indexPages[Self.key(id, 0)] = try flash.move(data: &work, objectID: SPIFFSObjectID.index(id), from: old)
  }

  private mutating func copyData(_ contents: [UInt8], from start: Int, count: Int, toPage page: Int, at offset: Int) {
    let dst = page * geometry.pageSize + offset
    contents.withUnsafeBufferPointer { src in
      flash.image.withUnsafeMutableBufferPointer { img in
        (img.baseAddress! + dst).update(from: src.baseAddress! + start, count: count)
      }
    }
  }
}
