/// Counts the pages mkspiffs consumes for a file set when it never needs to garbage-collect, without
/// building anything. Used to tell the user how large an image must be.
///
/// Per file: one header, the data pages, the extra index pages, plus one page per header move: every
/// append that does not start at offset 0 ends with a header move, and so does every append ending in an
/// index page other than the header; each crossing into the next index page moves the header too, except
/// when the header is left during the very first append (§2.8, §2.9).
enum MkspiffsPageCount {
  static func pages(forFileSize size: Int, geometry: BuildGeometry) -> Int {
    var total = geometry.layout.pagesNeeded(forFileOfSize: size)
    var offset = 0
    while offset < size {
      let length = min(geometry.pageSize, size - offset)
      let first = geometry.indexSpan(ofDataSpan: offset / geometry.dataPerPage)
      let last = geometry.indexSpan(ofDataSpan: (offset + length - 1) / geometry.dataPerPage)
      if last > first {
        // Crossings: out of the header (a move unless offset == 0), out of every index page (a move).
        total += (last - first) - (first == 0 && offset == 0 ? 1 : 0)
      }
      if last != 0 || offset != 0 { total += 1 }
      offset += length
    }
    return total
  }

  static func pages(for files: [some SPIFFSFileDescription], geometry: BuildGeometry) -> Int {
    files.reduce(0) { $0 + pages(forFileSize: $1.byteCount, geometry: geometry) }
  }

  /// Image bytes that let mkspiffs pack `files` without garbage collection: `spiffs_gc_check` stays idle while
  /// more than 3 blocks are untouched, so the pages need 4 blocks on top. mkspiffs may fit the files in less
  /// by collecting garbage, but that depends on the order and the geometry.
  static func requiredImageBytes(for files: [some SPIFFSFileDescription], geometry: BuildGeometry) -> Int {
    let pages = pages(for: files, geometry: geometry)
    return ((pages + geometry.entries - 1) / geometry.entries + 4) * geometry.block
  }
}
