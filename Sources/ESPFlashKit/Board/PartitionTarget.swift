import ESPLoader
import SPIFFS

/// Where a SPIFFS partition sits on a board's flash, and the checks made before touching it: the layout must
/// be for this chip family, and the partition must lie inside the flash.
public struct PartitionTarget: Sendable {
  public var preset: SPIFFSLayoutPreset
  /// Flash address of the partition.
  public var offset: Int
  public var size: Int { preset.imageSize }
  public var end: Int { offset + size }

  public init(preset: SPIFFSLayoutPreset, offset: Int) {
    self.preset = preset
    self.offset = offset
  }

  /// Flash is erased and written in 4 KiB sectors; a partition that starts mid-sector would share its first
  /// sector with whatever lies before it (esptool: `FLASH_SECTOR_SIZE`, ESP-IDF partition tables align to 4 KiB).
  public static let sectorSize = 0x1000

  /// The preset's offset, or `offset` when given. Custom layouts have no offset of their own.
  public static func resolve(preset: SPIFFSLayoutPreset, offset option: Int?,
                             events: WorkflowEvents = WorkflowEventsDefaults.silent) throws(PartitionTargetError) -> PartitionTarget {
    guard let offset = option ?? preset.knownFlashOffset else { throw .noFlashAddress }
    guard offset % sectorSize == 0 else { throw .unalignedOffset(offset) }
    if let option, !preset.isCustom, option != preset.flashOffset {
      events(.note("note: --offset \(Hex.address(option)) replaces \(preset.name)'s \(Hex.address(preset.flashOffset))"))
    }
    return PartitionTarget(preset: preset, offset: offset)
  }

  /// Whether a chip runs file systems of this layout's platform: ESP8266 layouts (8 KiB blocks, ESP8266
  /// object-name and metadata settings) only on the ESP8266, ESP32/ESP-IDF layouts on the ESP32 family.
  public func platformMatches(_ chip: Chip) -> Bool {
    (preset.platform == .esp8266) == (chip == .esp8266)
  }

  /// Refuses a layout of the other chip family; `flashSize` (when known) picks the layouts to suggest.
  public func checkPlatform(chip: Chip, flashSize: Int?) throws(BoardMismatch) {
    guard !platformMatches(chip) else { return }
    throw BoardMismatch(kind: .platform, target: self, flashSize: flashSize, chip: chip)
  }

  /// Refuses a partition that ends past the flash. Notes (does not refuse) a layout made for another size.
  public func checkFits(flashSize: Int, chip: Chip, events: WorkflowEvents) throws(BoardMismatch) {
    guard end <= flashSize else {
      throw BoardMismatch(kind: .pastFlashEnd, target: self, flashSize: flashSize, chip: chip)
    }
    if let intended = preset.flashSize, intended != flashSize {
      events(.note("note: layout \(preset.name) is for \(ByteSize.megabytes(intended)) flash; the board has "
                   + "\(ByteSize.megabytes(flashSize)) (fine if the sketch was built with this layout)"))
    }
  }

  /// Asks the connected board for its flash size and refuses it before anything is written or read when the
  /// layout belongs to the other chip family or ends past the flash. Returns the detected flash size.
  public func checkBoard(_ flasher: Flasher, events: WorkflowEvents) throws -> Int {
    let flashSize = try flasher.detectFlashSize()
    try checkPlatform(chip: flasher.chip, flashSize: flashSize)
    try checkFits(flashSize: flashSize, chip: flasher.chip, events: events)
    return flashSize
  }

  /// Preset names for this chip family and flash size, for hints.
  public static func suggestions(chip: Chip, flashSize: Int?) -> [String] {
    SPIFFSLayoutPresets.all.filter {
      ($0.platform == .esp8266) == (chip == .esp8266) && !$0.name.contains("@")
        && (flashSize == nil || $0.flashSize == flashSize)
    }.map(\.name)
  }

  /// `4M1M (0x300000..0x3FAFFF, 1000.0 KiB)`.
  public var describe: String {
    "\(preset.name) (\(Hex.address(offset))..\(Hex.address(end - 1)), \(ByteSize.human(size)))"
  }
}

/// A partition address that cannot be used.
public enum PartitionTargetError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A custom layout and no offset.
  case noFlashAddress
  /// Not on a 4 KiB sector boundary.
  case unalignedOffset(Int)

  public var description: String {
    switch self {
    case .noFlashAddress: "a layout from --size/--block/--platform has no flash address: pass --offset ADDR"
    case .unalignedOffset(let offset):
      "--offset \(Hex.address(offset)) is not a multiple of 0x1000 (the 4 KiB flash sector)"
    }
  }
}

/// The layout does not suit the connected board; nothing was written or read.
public struct BoardMismatch: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable { case platform, pastFlashEnd }

  public var kind: Kind
  public var target: PartitionTarget
  public var flashSize: Int?
  public var chip: Chip

  public var description: String {
    let preset = target.preset
    switch kind {
    case .platform:
      let family = preset.platform == .esp8266 ? "an ESP8266" : "an ESP32-family (\(preset.platform))"
      return "layout \(preset.name) is \(family) layout, but the board is an \(chip): its SPIFFS would not mount it"
    case .pastFlashEnd:
      let flash = flashSize.map(ByteSize.megabytes) ?? "?"
      return "the \(preset.name) partition ends at \(Hex.address(target.end)) "
        + "(\(Hex.address(target.offset)) + \(Hex.address(target.size))), past the end of the board's \(flash) flash"
    }
  }
}
