/// How the builder lays files out.
public enum SPIFFSImageFormat: String, Hashable, Sendable, CaseIterable {
  /// Byte-identical to mkspiffs 0.2.0 (ESP8266) / 0.2.3 (ESP32) for the same file order, with the bytes
  /// mkspiffs leaves uninitialised written as 0xFF (§8).
  case mkspiffs
  /// Valid SPIFFS without the pages mkspiffs wastes: each header written once, pages in order.
  case compact
}

/// What a build produced.
public struct SPIFFSBuildResult: Sendable {
  public var image: [UInt8]
  public var layout: SPIFFSLayout
  public var format: SPIFFSImageFormat
  /// Object pages in use (index + data), deleted, and free after the build. Free pages are those SPIFFS
  /// will still write to: `E*(N-2) - used - deleted` (it keeps two blocks' worth for garbage collection).
  public var usedPages: Int
  public var deletedPages: Int
  public var freePages: Int
  /// File bytes stored.
  public var dataBytes: Int
  /// Garbage-collection passes run while packing (mkspiffs format only).
  public var garbageCollections: Int
  /// The object id given to each file, in build order.
  public var objectIDs: [UInt16]

  /// Space left for file data the way users count it: free pages times the data bytes of a page.
  public var freeBytes: Int { freePages * layout.dataBytesPerPage }
  /// File data the device could still store once its GC has reclaimed the deleted pages.
  public var reclaimableFreeBytes: Int { (freePages + deletedPages) * layout.dataBytesPerPage }
}

/// Builds SPIFFS images from files, in the given order.
public struct SPIFFSBuilder: Sendable {
  public var layout: SPIFFSLayout
  public var format: SPIFFSImageFormat

  public init(layout: SPIFFSLayout, format: SPIFFSImageFormat = .compact) {
    self.layout = layout
    self.format = format
  }

  /// Image bytes `files` need in this format with this layout's block and page geometry (whole blocks).
  /// Exact for `.compact`. For `.mkspiffs` it is the size at which mkspiffs packs without garbage
  /// collection; with GC it may manage in less. Use it to suggest a layout that fits.
  public func requiredImageBytes(for files: [some SPIFFSFileDescription]) -> Int {
    let geometry = BuildGeometry(layout)
    switch format {
    case .compact: return CompactPacker.requiredImageBytes(for: files, geometry: geometry)
    case .mkspiffs: return MkspiffsPageCount.requiredImageBytes(for: files, geometry: geometry)
    }
  }

  /// Image bytes the layout's whole blocks cover.
  public var capacityBytes: Int { layout.blockCount * layout.blockSize }

  /// Builds the image from `files` in the given order (the order decides ids and page positions; pass
  /// mkspiffs' printed order to reproduce one of its images). Checks names, metadata and layout first; on any
  /// error nothing is returned. Metadata, when given, is stored in both formats (mkspiffs itself never sets
  /// it and leaves 0xFF).
  public func build(_ files: [SPIFFSFile]) throws(SPIFFSBuildError) -> SPIFFSBuildResult {
    try build(descriptions: files) { files[$0].contents }
  }

  /// Builds like `build(_:)` from names and sizes, asking `load(n)` for the bytes of file n only when it packs
  /// it, in order: the caller can read each file then and let it go, so a build holds the image and one file
  /// rather than the image and every file. Bytes of another length than `byteCount` are refused
  /// (`fileChanged`).
  public func build(_ files: [SPIFFSFileInfo], load: (Int) -> [UInt8]) throws(SPIFFSBuildError) -> SPIFFSBuildResult {
    try build(descriptions: files, load: load)
  }

  private func build(descriptions files: [some SPIFFSFileDescription], load: (Int) -> [UInt8])
    throws(SPIFFSBuildError) -> SPIFFSBuildResult {
    do { try layout.validate() } catch { throw .invalidLayout(error) }
    try BuildInputCheck.check(files, layout: layout)
    switch format {
    case .compact: return try buildCompact(files, load: load)
    case .mkspiffs: return try buildMkspiffs(files, load: load)
    }
  }

  private func buildCompact(_ files: [some SPIFFSFileDescription], load: (Int) -> [UInt8])
    throws(SPIFFSBuildError) -> SPIFFSBuildResult {
    let geometry = BuildGeometry(layout)
    let needed = CompactPacker.pages(for: files, geometry: geometry)
    if needed > geometry.writablePages {
      // Name the first file that crosses the limit.
      var running = 0
      var failedAt = files.last?.displayName ?? ""
      for file in files {
        running += CompactPacker.pages(for: [file], geometry: geometry)
        if running > geometry.writablePages {
          failedAt = file.displayName
          break
        }
      }
      throw .doesNotFit(
        neededBytes: CompactPacker.requiredImageBytes(for: files, geometry: geometry), capacityBytes: capacityBytes,
        failedAt: failedAt)
    }
    let packed = try CompactPacker(layout: layout).pack(files, load: load)
    return SPIFFSBuildResult(
      image: packed.image, layout: layout, format: .compact, usedPages: packed.pagesUsed, deletedPages: 0,
      freePages: geometry.writablePages - packed.pagesUsed, dataBytes: files.reduce(0) { $0 + $1.byteCount },
      garbageCollections: 0, objectIDs: packed.ids)
  }

  private func buildMkspiffs(_ files: [some SPIFFSFileDescription], load: (Int) -> [UInt8])
    throws(SPIFFSBuildError) -> SPIFFSBuildResult {
    var packer = MkspiffsPacker(layout: layout)
    var ids: [UInt16] = []
    ids.reserveCapacity(files.count)
    for (n, description) in files.enumerated() {
      let contents = load(n)
      guard contents.count == description.byteCount else {
        throw .fileChanged(name: description.displayName, plannedBytes: description.byteCount, actualBytes: contents.count)
      }
      let file = SPIFFSFile(nameBytes: description.nameBytes, contents: contents, metadata: description.metadata)
      do {
        ids.append(try packer.add(file))
      } catch {
        // SPIFFS' id search covers a range tied to the image size (§4); mkspiffs stops there too.
        if error.outOfObjectIDs { throw .tooManyFiles(count: files.count, limit: ids.count) }
        let needed = MkspiffsPageCount.requiredImageBytes(for: files, geometry: packer.geometry)
        throw .doesNotFit(neededBytes: max(needed, capacityBytes + layout.blockSize),
                          capacityBytes: capacityBytes, failedAt: file.name)
      }
    }
    let (used, deleted, free) = (packer.flash.allocated, packer.flash.deleted, packer.flash.freePagesForGC)
    let image = packer.flash.finishedImage()
    return SPIFFSBuildResult(
      image: image, layout: layout, format: .mkspiffs, usedPages: used, deletedPages: deleted,
      freePages: max(0, free), dataBytes: files.reduce(0) { $0 + $1.byteCount },
      garbageCollections: packer.gcPasses, objectIDs: ids)
  }
}
