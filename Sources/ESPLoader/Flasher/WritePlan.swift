/// What a sparse write sends, decided from the image alone before anything goes on the wire: the parts of
/// the image that hold something other than 0xFF are written, the rest is only erased (an erased NOR cell
/// reads 0xFF, so the flash then equals the image byte for byte).
///
/// Two shapes, one per kind of loader:
/// - **ESP8266 ROM** (`.esp8266ROM`): no compression, so every byte sent counts. The partition's sectors are
///   erased by erase-only FLASH_BEGINs whose sizes are chosen against the ROM's SPIEraseArea bug so that
///   exactly those sectors are erased (`ESP8266EraseCover`), then each run of 1 KiB blocks (the ROM's write
///   unit) holding a non-0xFF byte is written by a FLASH_BEGIN with erase size 0 plus its DATA blocks.
/// - **ESP32-family ROMs and stubs** (`.sectors`): they erase at BEGIN (ROM) or just ahead of the data
///   (stub), always whole 4 KiB sectors from the sector holding the start, so data runs are whole sectors
///   (their 0xFF tails deflate to almost nothing); blank sectors are erased without data (ERASE_REGION on a
///   stub, an erase-only FLASH_BEGIN on the ROM, as esptool's erase-region does, `rom-protocol.md` §8).
public struct WritePlan: Sendable, Equatable {
  public enum Shape: Sendable, Equatable {
    case esp8266ROM
    case sectors
  }

  public enum Step: Sendable, Equatable {
    /// Erase `[offset, offset + size)` of the flash without sending data. `beginEraseSize` is the FLASH_BEGIN
    /// erase word that makes the ESP8266 ROM erase exactly that (nil on other loaders: the size is exact).
    case erase(offset: Int, size: Int, beginEraseSize: UInt32?)
    /// Send image bytes `range` (image-relative) to `offset + range.lowerBound`.
    case write(Range<Int>)
  }

  public var shape: Shape
  /// Flash address of image byte 0 (4 KiB-aligned).
  public var offset: Int
  public var imageSize: Int
  /// Erases first (the ESP8266 ROM's writes erase nothing), then writes, each in address order.
  public var steps: [Step]

  public static let sectorSize = 0x1000
  /// The ESP8266 ROM's write unit (`FLASH_WRITE_SIZE` in ROM, §5.4).
  public static let romBlockSize = 0x400

  /// Image bytes sent as data (before padding to the loader's block).
  public var writtenBytes: Int {
    steps.reduce(0) { if case .write(let r) = $1 { return $0 + r.count }; return $0 }
  }

  /// Flash bytes erased without data.
  public var eraseOnlyBytes: Int {
    steps.reduce(0) { if case .erase(_, let size, _) = $1 { return $0 + size }; return $0 }
  }

  public var writeRanges: [Range<Int>] {
    steps.compactMap { if case .write(let r) = $0 { return r }; return nil }
  }

  /// Plans writing `image` at `offset`, touching only `sectors` (image-relative sector indexes; nil = all).
  /// Throws when the offset is not on a sector (the erase would reach before the image) or when the ESP8266
  /// ROM cannot erase the range without erasing a sector outside it.
  ///
  /// `mergeGapSectors` (`.sectors` only): blank gaps shorter than this between data sectors are written with
  /// the data instead of erased on their own. Worth it where the data is deflated (a blank sector costs a
  /// few stream bytes): one run is erased by the loader in 64 KiB blocks where aligned, while alternating
  /// data and blank sectors — every SPIFFS block starts with a lookup page, so an unused 8 KiB block is one
  /// data sector and one blank sector — would cost a 4 KiB sector erase each.
  public init(image: [UInt8], offset: Int, shape: Shape, sectors: [Range<Int>]? = nil,
              mergeGapSectors: Int = 0) throws(LoaderError) {
    guard offset % Self.sectorSize == 0 else {
      throw .invalidRequest("a sparse write must start on a 4 KiB sector; \(hexAddress(offset)) does not")
    }
    self.shape = shape
    self.offset = offset
    self.imageSize = image.count
    let sectorCount = (image.count + Self.sectorSize - 1) / Self.sectorSize
    let wanted = sectors ?? (sectorCount > 0 ? [0..<sectorCount] : [])
    var erases: [Step] = []
    var writes: [Step] = []
    switch shape {
    case .esp8266ROM:
      for run in wanted where !run.isEmpty {
        guard let cover = ESP8266EraseCover.commands(firstSector: offset / Self.sectorSize + run.lowerBound,
                                                     count: run.count) else {
          throw .unsupported(operation: "erasing the single sector at \(hexAddress(offset + run.lowerBound * Self.sectorSize))",
                             loader: "ESP8266 ROM loader",
                             reason: "its FLASH_BEGIN erases an even number of sectors whenever the erase size is at "
                               + "most the sectors left in the 64 KiB block, so one sector cannot be erased alone",
                             remedy: "use the flasher stub (--stub auto with esptool installed, or --stub PATH)")
        }
        erases += cover.map { .erase(offset: $0.sector * Self.sectorSize, size: $0.sectors * Self.sectorSize,
                                     beginEraseSize: $0.eraseSize) }
        let bytes = (run.lowerBound * Self.sectorSize)..<min(image.count, run.upperBound * Self.sectorSize)
        writes += Self.dataRuns(image, in: bytes, unit: Self.romBlockSize).map { .write($0) }
      }
    case .sectors:
      for run in wanted where !run.isEmpty {
        for (sectors, blank) in Self.segments(image, sectors: run, mergingGapsBelow: mergeGapSectors) {
          if blank {
            erases.append(.erase(offset: offset + sectors.lowerBound * Self.sectorSize,
                                 size: sectors.count * Self.sectorSize, beginEraseSize: nil))
          } else {
            writes.append(.write((sectors.lowerBound * Self.sectorSize)..<min(image.count, sectors.upperBound * Self.sectorSize)))
          }
        }
      }
    }
    steps = erases + writes
  }

  /// `sectors` cut into alternating data and blank runs, blank runs shorter than `gap` between two data runs
  /// joined to them.
  static func segments(_ image: [UInt8], sectors: Range<Int>, mergingGapsBelow gap: Int) -> [(Range<Int>, Bool)] {
    var raw: [(Range<Int>, Bool)] = []
    var sector = sectors.lowerBound
    while sector < sectors.upperBound {
      let blank = isBlank(image, sector * sectorSize, sectorSize)
      var end = sector + 1
      while end < sectors.upperBound, isBlank(image, end * sectorSize, sectorSize) == blank { end += 1 }
      raw.append((sector..<end, blank))
      sector = end
    }
    var out: [(Range<Int>, Bool)] = []
    for (index, segment) in raw.enumerated() {
      let between = segment.1 && index > 0 && index + 1 < raw.count && segment.0.count < gap
      if let last = out.last, !last.1, !segment.1 || between {
        out[out.count - 1] = (last.0.lowerBound..<segment.0.upperBound, false)
      } else {
        out.append((segment.0, segment.1 && !between))
      }
    }
    return out
  }

  /// Runs of `unit`-sized pieces inside `bytes` that hold any non-0xFF byte.
  static func dataRuns(_ image: [UInt8], in bytes: Range<Int>, unit: Int) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    var start = bytes.lowerBound
    while start < bytes.upperBound {
      let end = min(bytes.upperBound, start + unit)
      if !isBlank(image, start, end - start) {
        if let last = runs.last, last.upperBound == start {
          runs[runs.count - 1] = last.lowerBound..<end
        } else {
          runs.append(start..<end)
        }
      }
      start = end
    }
    return runs
  }

  /// True when `image[start..<start+count]` (clipped to the image) is all 0xFF.
  static func isBlank(_ image: [UInt8], _ start: Int, _ count: Int) -> Bool {
    let end = min(image.count, start + count)
    guard start < end else { return true }
    return image[start..<end].allSatisfy { $0 == 0xFF }
  }
}

/// FLASH_BEGIN erase sizes that make the ESP8266 ROM erase exactly a run of sectors and nothing else.
///
/// The ROM's SPIEraseArea erases `E + min(E, h)` sectors from the start sector S, where `E` is the erase
/// size in sectors and `h = 16 − S mod 16` the sectors left in S's 64 KiB block (`rom-protocol.md` §5.3).
/// From S it can therefore erase any even count up to `2h`, or any count of at least `2h`, but never an odd
/// count below `2h`. esptool's `get_erase_size` accepts one sector too many in that case; here an odd rest
/// is split into an even part plus a final pair that overlaps the sector before it (erasing a sector twice
/// before anything is written into it is harmless), so nothing past the run is touched. Only a run of a
/// single sector cannot be done.
public enum ESP8266EraseCover {
  public struct Command: Sendable, Equatable {
    public var sector: Int
    /// The FLASH_BEGIN erase word (bytes).
    public var eraseSize: UInt32
    /// Sectors the ROM erases for it.
    public var sectors: Int
  }

  /// The commands for sectors `[firstSector, firstSector + count)`, or nil when `count == 1`.
  public static func commands(firstSector: Int, count: Int) -> [Command]? {
    guard count != 1 else { return nil }
    var result: [Command] = []
    var sector = firstSector
    var rest = count
    func emit(_ at: Int, _ e: Int) {
      let h = 16 - at % 16
      result.append(Command(sector: at, eraseSize: UInt32(e * WritePlan.sectorSize), sectors: e + min(e, h)))
    }
    while rest > 0 {
      let h = 16 - sector % 16
      if rest >= 2 * h {
        emit(sector, rest - h)
        rest = 0
      } else if rest % 2 == 0 {
        emit(sector, rest / 2)
        rest = 0
      } else if rest == 1 {
        emit(sector - 1, 1)  // erases [sector-1, sector+1): the previous sector again, and this one
        rest = 0
      } else {
        emit(sector, (rest - 1) / 2)
        sector += rest - 1
        rest = 1
      }
    }
    return result
  }
}
