import ESPLoader
import Foundation
import SPIFFS

/// Where the connected board keeps its file system, by its own account: the ESP32's partition table (read
/// from flash, 0x8000 unless told otherwise), or on the ESP8266 (no table) the known layouts for its flash
/// size, probed a few pages at a time (arduino-integration.md §1.2, §2.2).
public enum BoardFileSystem {
  /// The table on the board; nil when that sector holds none (blank or foreign flash).
  public static func readTable(_ flasher: Flasher, at offset: Int) throws -> PartitionTable? {
    let bytes = try flasher.readFlash(offset: UInt32(offset), size: PartitionTable.binaryLength)
    return try PartitionTable(binary: bytes)
  }

  /// Whether `target` is exactly a data/spiffs partition of `table`: same offset, and the same number of
  /// whole blocks (the ESP32's SPIFFS magic includes the block count, so a smaller image would not mount).
  public static func matches(_ target: PartitionTarget, _ table: PartitionTable) -> PartitionEntry? {
    let block = target.preset.blockSize
    return table.entries.first {
      SPIFFSLayoutPresets.lowercase($0.type) == "data" && $0.isSPIFFSSubtype && $0.offset == target.offset
        && $0.size / block == target.size / block
    }
  }

  /// Refuses a write the board's table does not have a spiffs partition for (`--force` skips the call).
  public static func checkWrite(_ target: PartitionTarget, table: PartitionTable, tableOffset: Int) throws {
    guard matches(target, table) == nil else { return }
    throw PartitionTableMismatch(target: target, table: table, tableOffset: tableOffset)
  }

  /// A target for the partition `SPIFFS.begin()` mounts, named after the built-in layout it equals, if any.
  public static func target(for partition: PartitionEntry, chip: Chip) -> PartitionTarget {
    let imageSize = partition.size / 4096 * 4096
    let known = SPIFFSLayoutPresets.all.first {
      $0.platform != .esp8266 && !$0.name.contains("@") && $0.flashOffset == partition.offset && $0.imageSize == imageSize
    }
    var preset = known ?? SPIFFSLayoutPreset(
      name: "partition '\(partition.name)'", platform: .esp32, flashSize: nil, flashOffset: partition.offset,
      imageSize: imageSize, blockSize: 4096, notes: "the board's partition table")
    preset.notes = "the board's partition '\(partition.name)'"
    return PartitionTarget(preset: preset, offset: partition.offset)
  }

  /// The file system when no layout was given: on ESP32-family chips the table's spiffs partition; on the
  /// ESP8266 the first known layout for the flash size whose blocks carry SPIFFS magic.
  public static func locate(_ flasher: Flasher, flashSize: Int, tableOffset: Int) throws -> PartitionTarget {
    if flasher.chip == .esp8266 { return try probeESP8266(flasher, flashSize: flashSize) }
    guard let table = try readTable(flasher, at: tableOffset) else {
      throw ProjectError("no partition table at \(ByteSize.hex(tableOffset)) on the \(flasher.chip): cannot tell where its file system is",
                     hint: "pass --layout / --partitions / --fqbn, or --partition-table-offset if the table is elsewhere",
                     kind: .badData)
    }
    guard let partition = table.mountedSPIFFSPartition else {
      throw ProjectError("the board's partition table has no data/spiffs partition: \(table.summary)",
                     hint: "a FAT or LittleFS partition is not SPIFFS; pass --layout if you know better", kind: .badData)
    }
    return target(for: partition, chip: flasher.chip)
  }

  /// Lowest offset first, because a larger file system (4M3M at 0x100000) contains the smaller layouts'
  /// offsets: reading 4M2M's first block there would find 4M3M's magic too. Three pages per candidate: the
  /// page with the magic of blocks 0, 1 (which also tells 4 from 8 KiB blocks) and the last block.
  public static func probeESP8266(_ flasher: Flasher, flashSize: Int) throws -> PartitionTarget {
    let candidates = (ESP8266Presets.current + ESP8266Presets.core25.filter { variant in
      !ESP8266Presets.current.contains { $0.flashOffset == variant.flashOffset && $0.blockSize == variant.blockSize }
    }).filter { $0.flashSize == flashSize }.sorted { $0.flashOffset < $1.flashOffset }
    guard !candidates.isEmpty else {
      throw ProjectError("no built-in ESP8266 layout for \(ByteSize.megabytes(flashSize)) of flash",
                     hint: "pass --layout, or --size/--block/--platform esp8266 --offset", kind: .usage)
    }
    for preset in candidates {
      let layout = preset.layout
      let pageBase = layout.magicOffsetInBlock / layout.pageSize * layout.pageSize
      var matched = true
      for block in [0, 1, layout.blockCount - 1] {
        let page = try flasher.readFlash(offset: UInt32(preset.flashOffset + block * layout.blockSize + pageBase),
                                         size: layout.pageSize)
        let at = layout.magicOffsetInBlock - pageBase
        let magic = UInt16(page[at]) | UInt16(page[at + 1]) << 8
        if magic != layout.magic(forBlock: block) { matched = false; break }
      }
      if matched { return PartitionTarget(preset: preset, offset: preset.flashOffset) }
    }
    throw ProjectError("no SPIFFS found on this \(ByteSize.megabytes(flashSize)) ESP8266 at the known layouts: "
                   + candidates.map { "\($0.name) \(ByteSize.hex($0.flashOffset))" }.joined(separator: ", "),
                   hint: "pass the sketch's --layout (its Flash Size menu) or --fqbn", kind: .badData)
  }
}

/// The layout names a place the board's partition table does not have a SPIFFS partition; nothing written.
public struct PartitionTableMismatch: Error, Sendable {
  public var target: PartitionTarget
  public var table: PartitionTable
  public var tableOffset: Int

  public var message: String {
    "the board's partition table (at \(ByteSize.hex(tableOffset))) has no spiffs partition at "
      + "\(ByteSize.hex(target.offset)) of \(ByteSize.hex(target.size)) bytes (layout \(target.preset.name)); "
      + "its partitions: \(table.summary)"
  }

  public var hint: String? {
    var parts: [String] = []
    if let spiffs = table.mountedSPIFFSPartition {
      let board = BoardFileSystem.target(for: spiffs, chip: .esp32)
      parts.append("the board's file system is \(board.describe): pass "
        + (board.preset.name.hasPrefix("partition ") ? "--offset \(ByteSize.hex(spiffs.offset)) --size \(ByteSize.hex(board.size)) --block 4096 --platform esp32"
                                                      : "--layout \(board.preset.name)")
        + ", or flash the sketch with the partition scheme you meant first")
    }
    parts.append("--force writes anyway (whatever lives there is overwritten); nothing was written")
    return parts.joined(separator: "; ")
  }

}

/// How much of a board's file system partition a reader needs (issue 9 §3): `fs ls --port` the lookup
/// entries and index headers, `fs cat --port` those plus one file's pages, everything else the blocks in use
/// (the rest confirmed erased by MD5). Pages not read are 0xFF in the returned bytes.
public enum BoardReadScope: Sendable, Equatable {
  case listing
  case file([UInt8])
  case whole
}

extension BoardFileSystem {
  /// Reads the file system partition: `given`, or the one the board names (ESP32 table, ESP8266 probe),
  /// after the chip and flash-size checks of `fs upload`, with only the pages `scope` needs.
  public static func readPartition(_ flasher: Flasher, given: PartitionTarget?, tableOffset: Int,
                                   scope: BoardReadScope = .whole,
                                   events: @escaping WorkflowEvents) throws -> (target: PartitionTarget, bytes: [UInt8]) {
    let flashSize = try flasher.detectFlashSize()
    let target: PartitionTarget
    if let given {
      target = given
    } else {
      target = try locate(flasher, flashSize: flashSize, tableOffset: tableOffset)
      events(.note("No layout given: the board's file system is \(target.describe)"
        + (flasher.chip == .esp8266 ? " (found by its SPIFFS magic)." : " (from its partition table).")))
    }
    try target.checkPlatform(chip: flasher.chip, flashSize: flashSize)
    try target.checkFits(flashSize: flashSize, chip: flasher.chip, events: events)
    // The ESP8266 ROM's refusal (LoaderError.unsupported) goes on as it is: it names the stub as the remedy.
    switch scope {
    case .whole:
      let (data, reader) = try SPIFFSBoardRead.readBlocksInUse(flasher, target: target, events: events)
      events(.note("Read \(reader.bytesRead) of \(data.count) bytes (\(reader.sparse.blocksInUse.count) of "
                   + "\(target.preset.layout.blockCount) blocks in use; " + SPIFFSBoardRead.describeChecks(reader) + ")."))
      return (target, data)
    case .listing, .file:
      var reader = SPIFFSBoardRead.reader(flasher: flasher, offset: target.offset, layout: target.preset.layout)
      _ = try reader.listing()
      if case .file(let name) = scope {
        // A name not on the board is left to the caller's lookup, which reports it with the listing's names.
        let slashed = name.first == UInt8(ascii: "/") ? name : [UInt8(ascii: "/")] + name
        _ = try reader.file(named: name) ?? reader.file(named: slashed)
      }
      let share = Double(reader.bytesRead) * 100 / Double(max(target.size, 1))
      events(.note("Read \(reader.bytesRead) of the partition's \(target.size) bytes "
                   + "(\(String(format: "%.1f", share))%) in \(reader.reads) reads."))
      return (target, reader.sparse.bytes)
    }
  }

  /// `fs download` / `fs ls --port` without a layout: connects and reads the partition the board names.
  public static func download(given: PartitionTarget?, tableOffset: Int, scope: BoardReadScope = .whole,
                              connection: ConnectionSettings,
                              events: @escaping WorkflowEvents) throws -> DownloadResult {
    try DeviceSession.with(connection, events: events) { session in
      let flasher = session.flasher
      let (target, data) = try readPartition(flasher, given: given, tableOffset: tableOffset, scope: scope,
                                             events: events)
      let md5 = Flasher.md5Hex(data)
      if scope == .whole {
        events(.note("Read \(data.count) bytes of \(target.describe) from the \(flasher.chip) (MD5 \(md5))."))
      }
      var result = DownloadResult(layout: target.preset.name, platform: target.preset.platform.rawValue,
                                  address: Hex.json(target.offset), size: data.count, chip: flasher.chip.rawValue,
                                  md5: md5, wire: session.statistics, bytes: data)
      result.target = target
      return result
    }
  }
}
