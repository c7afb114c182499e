import Foundation
import ESPLoader
import SPIFFS

/// Reads from a board only what a question about its SPIFFS partition needs (issue 9 §3): the lookup
/// entries first, then the index headers (a listing), one object's pages (one file), or the blocks in use
/// (a download, whose skipped runs are checked to be erased by one MD5 each). Everything goes through
/// `SPIFFSSparseImage`, so the answers come from the same reader as for a full read.
/// No printing here; the commands render the results.
struct BoardSPIFFSRead {
  let flasher: Flasher
  /// Flash address of the partition.
  let offset: Int
  private(set) var sparse: SPIFFSSparseImage
  /// Flash bytes read, READ_FLASH(_SLOW) calls, SPI_FLASH_MD5 queries, and free blocks a download had to
  /// read after all because their MD5 said they were not erased.
  private(set) var bytesRead = 0
  private(set) var reads = 0
  private(set) var md5Queries = 0
  private(set) var runsNotErased = 0

  init(flasher: Flasher, offset: Int, layout: SPIFFSLayout) {
    self.flasher = flasher
    self.offset = offset
    sparse = SPIFFSSparseImage(layout: layout)
  }

  /// Reads whatever of `ranges` is not read yet.
  mutating func load(_ ranges: [Range<Int>], progress: ProgressHandler? = nil) throws(LoaderError) {
    let wanted = sparse.missing(ranges)
    let total = wanted.reduce(0) { $0 + $1.count }
    var done = 0
    for range in wanted {
      let before = done
      let data = try flasher.readFlash(offset: UInt32(offset + range.lowerBound), size: range.count,
                                       progress: progress.map { report in { part, _ in report(before + part, total) } })
      sparse.fill(range, with: data)
      bytesRead += range.count
      reads += 1
      done += range.count
    }
  }

  /// The lookup entries and every index header: enough for `entries()` and `mount()`.
  mutating func listing() throws -> SPIFFSImage {
    try load(sparse.lookupRanges)
    try load(sparse.indexHeaderRanges)
    return try sparse.image()
  }

  /// The file named `name` (exact bytes), after the listing found it: its index and data pages only.
  mutating func file(named name: [UInt8]) throws -> (entry: SPIFFSEntry, data: [UInt8])? {
    guard let entry = try listing().entry(named: name) else { return nil }
    try load(sparse.objectRanges(objectID: entry.objectID))
    return (entry, try sparse.image().contents(of: entry))
  }

  /// The whole partition as the board holds it: blocks with pages in use are read, the rest is filled as
  /// erased after one MD5 per skipped run confirms it; a run whose MD5 differs (deleted pages that still
  /// hold bytes, foreign data) is read after all.
  mutating func download(estimate: ((TransferEstimate) -> Void)? = nil,
                         progress: ProgressHandler? = nil) throws -> [UInt8] {
    try load(sparse.lookupRanges)
    let used = sparse.blocksInUse
    let wanted = sparse.missing(sparse.ranges(ofBlocks: used))
    let skipped = sparse.ranges(outside: used)
    estimate?(flasher.readEstimate(bytes: wanted.reduce(0) { $0 + $1.count }, reads: wanted.count,
                                   md5Queries: skipped.count))
    try load(wanted, progress: progress)
    for run in skipped { try confirmErased(run) }
    return sparse.bytes
  }

  /// One MD5 for a skipped run; when it differs, halves (on block boundaries) are checked the same way and
  /// a single block that still differs is read, so junk in one free block costs a block, not the run.
  private mutating func confirmErased(_ run: Range<Int>) throws {
    md5Queries += 1
    let flash = try flasher.flashMD5(offset: UInt32(offset + run.lowerBound), size: run.count)
    guard flash.map({ String(format: "%02x", $0) }).joined() != Flasher.md5Hex(Array(sparse.bytes[run])) else { return }
    let block = sparse.layout.blockSize
    let blocks = (run.count + block - 1) / block
    guard blocks > 1 else {
      runsNotErased += 1
      try load([run])
      return
    }
    let middle = run.lowerBound + blocks / 2 * block
    try confirmErased(run.lowerBound..<middle)
    try confirmErased(middle..<run.upperBound)
  }
}
