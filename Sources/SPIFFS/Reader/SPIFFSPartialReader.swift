/// Answers questions about a SPIFFS partition on a device while reading only what each answer needs
/// (`SPIFFSSparseImage` says what that is). The device is reached through two closures, so this stays free
/// of I/O and of any loader: `read` returns the partition's bytes in a range, `matches` says whether the
/// device holds exactly the given bytes in a range (an MD5 on the device, for instance).
public struct SPIFFSPartialReader {
  public typealias Read = (_ range: Range<Int>, _ progress: ((Int) -> Void)?) throws -> [UInt8]
  public typealias Matches = (_ range: Range<Int>, _ expected: ArraySlice<UInt8>) throws -> Bool

  public private(set) var sparse: SPIFFSSparseImage
  let read: Read
  let matches: Matches
  /// Bytes read, read calls, `matches` calls, and free blocks a download read after all because they were
  /// not erased.
  public private(set) var bytesRead = 0
  public private(set) var reads = 0
  public private(set) var checks = 0
  public private(set) var blocksNotErased = 0

  public init(layout: SPIFFSLayout, read: @escaping Read, matches: @escaping Matches) {
    sparse = SPIFFSSparseImage(layout: layout)
    self.read = read
    self.matches = matches
  }

  /// Reads whatever of `ranges` is not read yet; `progress` hears bytes done of the total.
  public mutating func load(_ ranges: [Range<Int>], progress: ((Int, Int) -> Void)? = nil) throws {
    let wanted = sparse.missing(ranges)
    let total = wanted.reduce(0) { $0 + $1.count }
    var done = 0
    for range in wanted {
      let before = done
      let data = try read(range, progress.map { report in { part in report(before + part, total) } })
      sparse.fill(range, with: data)
      bytesRead += range.count
      reads += 1
      done += range.count
    }
  }

  /// The lookup entries and every index header: all `entries()` and `mount()` look at.
  public mutating func listing() throws -> SPIFFSImage {
    try load(sparse.lookupRanges)
    try load(sparse.indexHeaderRanges)
    return try sparse.image()
  }

  /// The file named `name` (exact bytes): the listing, then that object's index and data pages only.
  public mutating func file(named name: [UInt8]) throws -> (entry: SPIFFSEntry, data: [UInt8])? {
    guard let entry = try listing().entry(named: name) else { return nil }
    try load(sparse.objectRanges(objectID: entry.objectID))
    return (entry, try sparse.image().contents(of: entry))
  }

  /// What a download will read once the lookup is known: the blocks in use not read yet, and the runs of
  /// free blocks that are only checked.
  public mutating func downloadPlan() throws -> (reads: [Range<Int>], checks: [Range<Int>]) {
    try load(sparse.lookupRanges)
    let used = sparse.blocksInUse
    return (sparse.missing(sparse.ranges(ofBlocks: used)), sparse.ranges(outside: used))
  }

  /// The whole partition as the device holds it: blocks with pages in use are read, the rest is taken as
  /// erased once `matches` confirms it, one call per run of free blocks; a run that does not match is
  /// halved on block boundaries until the blocks holding data are found and read (deleted pages that still
  /// hold bytes, foreign data), so the result always equals the device.
  public mutating func download(progress: ((Int, Int) -> Void)? = nil) throws -> [UInt8] {
    let plan = try downloadPlan()
    try load(plan.reads, progress: progress)
    for run in plan.checks { try confirmErased(run) }
    return sparse.bytes
  }

  private mutating func confirmErased(_ run: Range<Int>) throws {
    checks += 1
    guard try !matches(run, sparse.bytes[run]) else { return }
    let block = sparse.layout.blockSize
    let blocks = (run.count + block - 1) / block
    guard blocks > 1 else {
      blocksNotErased += 1
      try load([run])
      return
    }
    let middle = run.lowerBound + blocks / 2 * block
    try confirmErased(run.lowerBound..<middle)
    try confirmErased(middle..<run.upperBound)
  }
}
