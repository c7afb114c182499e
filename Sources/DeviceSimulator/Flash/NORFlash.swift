/// SPI NOR flash as the chip sees it: programming can only clear bits (the new byte is `old & data`), and
/// only an erase brings a 4 KiB sector back to 0xFF. So data written over an unerased region reads back
/// corrupted, exactly as on a chip; this is what catches an under-erasing client (`rom-protocol.md` §13 #4).
///
/// Addresses wrap at the physical size, as a real part ignores address bits above its capacity.
public struct NORFlash: Sendable {
  public static let sectorSize = 0x1000
  public static let blockSize = 0x1_0000
  public static let pageSize = 0x100

  public private(set) var bytes: [UInt8]
  public var size: Int { bytes.count }

  /// Operation counts since power-on, for the wire meter's flash-time model.
  public private(set) var sectorErases = 0
  public private(set) var blockErases = 0
  public private(set) var chipErases = 0
  public private(set) var pagePrograms = 0

  /// An erased part (all 0xFF).
  public init(size: Int) {
    bytes = [UInt8](repeating: 0xFF, count: max(size, NORFlash.sectorSize))
  }

  /// A part holding `contents` (its length is the flash size).
  public init(contents: [UInt8]) {
    bytes = contents
  }

  /// Reads `count` bytes starting at `address`, wrapping at the end of the part.
  public func read(at address: Int, count: Int) -> [UInt8] {
    guard count > 0 else { return [] }
    let start = address % size
    if start + count <= size { return Array(bytes[start..<(start + count)]) }
    var out: [UInt8] = []
    out.reserveCapacity(count)
    var position = start
    for _ in 0..<count {
      out.append(bytes[position])
      position += 1
      if position == size { position = 0 }
    }
    return out
  }

  /// Page-program: ANDs `data` into the array, one page program per 256-byte page touched.
  public mutating func program(at address: Int, _ data: [UInt8]) {
    guard !data.isEmpty else { return }
    var position = address % size
    var lastPage = -1
    bytes.withUnsafeMutableBufferPointer { buffer in
      for byte in data {
        buffer[position] &= byte
        let page = position / NORFlash.pageSize
        if page != lastPage { pagePrograms += 1; lastPage = page }
        position += 1
        if position == buffer.count { position = 0 }
      }
    }
  }

  /// Erases the 4 KiB sector with this index (wrapping).
  public mutating func eraseSector(_ index: Int) {
    fill(sector: index)
    sectorErases += 1
  }

  /// Erases sectors `[first, first + count)`, using 64 KiB block erases where a whole aligned block is
  /// covered, as the stubs and the ROM's `SPIEraseArea` do (the time differs: see `FlashTiming`).
  public mutating func eraseSectors(from first: Int, count: Int) {
    guard count > 0 else { return }
    let perBlock = NORFlash.blockSize / NORFlash.sectorSize
    var sector = first
    let end = first + count
    while sector < end {
      if sector % perBlock == 0, end - sector >= perBlock {
        for s in sector..<(sector + perBlock) { fill(sector: s) }
        blockErases += 1
        sector += perBlock
      } else {
        eraseSector(sector)
        sector += 1
      }
    }
  }

  /// Chip erase.
  public mutating func eraseChip() {
    for index in bytes.indices { bytes[index] = 0xFF }
    chipErases += 1
  }

  /// The operation counters together, so a meter can take differences.
  public struct Counts: Hashable, Sendable {
    public var sectorErases = 0, blockErases = 0, chipErases = 0, pagePrograms = 0
  }

  public var counts: Counts {
    Counts(sectorErases: sectorErases, blockErases: blockErases, chipErases: chipErases,
           pagePrograms: pagePrograms)
  }

  /// Whether every byte of the sector reads 0xFF.
  public func sectorIsBlank(_ index: Int) -> Bool {
    let start = (index * NORFlash.sectorSize) % size
    return bytes[start..<min(start + NORFlash.sectorSize, size)].allSatisfy { $0 == 0xFF }
  }

  private mutating func fill(sector index: Int) {
    let start = (index * NORFlash.sectorSize) % size
    let end = min(start + NORFlash.sectorSize, size)
    for position in start..<end { bytes[position] = 0xFF }
  }
}

/// Datasheet-typical NOR timings used to model flash time. Figures are Winbond W25Q32FV typical values
/// (the part on most ESP-12 modules): sector erase 45 ms, 64 KiB block erase 150 ms, page program 0.7 ms,
/// chip erase 10 s for 4 MiB (scaled by size here). Maximums are 5–10× higher; real stubs also spend time
/// in the MD5 and inflate, which is not modelled.
public struct FlashTiming: Hashable, Sendable {
  public var sectorErase: Double = 0.045
  public var blockErase: Double = 0.150
  public var pageProgram: Double = 0.0007
  public var chipErasePerMiB: Double = 2.5

  public init() {}

}
