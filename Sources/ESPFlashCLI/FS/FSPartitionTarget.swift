import ESPLoader
import SPIFFS

/// Where a SPIFFS partition sits on a board's flash, and the checks `fs upload` / `fs download` make
/// before touching it: the layout must be for this chip family, and the partition must lie inside the flash.
struct FSPartitionTarget {
  var preset: SPIFFSLayoutPreset
  /// Flash address of the partition.
  var offset: Int
  var size: Int { preset.imageSize }
  var end: Int { offset + size }

  /// Flash is erased and written in 4 KiB sectors; a partition that starts mid-sector would share its first
  /// sector with whatever lies before it (esptool: `FLASH_SECTOR_SIZE`, ESP-IDF partition tables align to 4 KiB).
  static let sectorSize = 0x1000

  /// The preset's offset, or `--offset`. Layouts from --size/--block/--platform have no offset of their own.
  static func resolve(preset: SPIFFSLayoutPreset, offset option: ByteSize?) throws -> FSPartitionTarget {
    let isCustom = preset.name == "custom"
    guard let offset = option?.value ?? (isCustom ? nil : preset.flashOffset) else {
      throw CLIError("a layout from --size/--block/--platform has no flash address: pass --offset ADDR",
                     hint: "the partition's offset in the board's partition table, e.g. --offset 0x300000; "
                       + "or use --layout NAME / --partitions partitions.csv, which carry it",
                     status: .usage)
    }
    guard offset % sectorSize == 0 else {
      throw CLIError("--offset \(ByteSize.hex(offset)) is not a multiple of 0x1000 (the 4 KiB flash sector)",
                     hint: "partitions start on a sector boundary; check the partition table", status: .usage)
    }
    if let option, !isCustom, option.value != preset.flashOffset {
      FSOutput.note("note: --offset \(ByteSize.hex(option.value)) replaces \(preset.name)'s "
                    + "\(ByteSize.hex(preset.flashOffset))")
    }
    return FSPartitionTarget(preset: preset, offset: offset)
  }

  /// Whether a chip runs file systems of this layout's platform: ESP8266 layouts (8 KiB blocks, ESP8266
  /// object-name and metadata settings) only on the ESP8266, ESP32/ESP-IDF layouts on the ESP32 family.
  func platformMatches(_ chip: Chip) -> Bool {
    (preset.platform == .esp8266) == (chip == .esp8266)
  }

  /// Refuses a layout of the other chip family; `flashSize` (when known) picks the layouts to suggest.
  func checkPlatform(chip: Chip, flashSize: Int?) throws {
    guard !platformMatches(chip) else { return }
    throw FSBoardMismatch(kind: .platform(chip: chip), target: self, flashSize: flashSize)
  }

  /// Refuses a partition that ends past the flash. Notes (does not refuse) a layout made for another size.
  func checkFits(flashSize: Int, chip: Chip) throws {
    guard end <= flashSize else {
      throw FSBoardMismatch(kind: .pastFlashEnd, target: self, flashSize: flashSize, chip: chip)
    }
    if let intended = preset.flashSize, intended != flashSize {
      FSOutput.note("note: layout \(preset.name) is for \(Self.megabytes(intended)) flash; the board has "
                    + "\(Self.megabytes(flashSize)) (fine if the sketch was built with this layout)")
    }
  }

  /// Asks the connected board for its flash size and refuses it before anything is written or read when the
  /// layout belongs to the other chip family or ends past the flash. Returns the detected flash size.
  func checkBoard(_ flasher: Flasher) throws -> Int {
    let flashSize = try flasher.detectFlashSize()
    try checkPlatform(chip: flasher.chip, flashSize: flashSize)
    try checkFits(flashSize: flashSize, chip: flasher.chip)
    return flashSize
  }

  /// Preset names for this chip family and flash size, for hints.
  static func suggestions(chip: Chip, flashSize: Int?) -> [String] {
    SPIFFSLayoutPresets.all.filter {
      ($0.platform == .esp8266) == (chip == .esp8266) && !$0.name.contains("@")
        && (flashSize == nil || $0.flashSize == flashSize)
    }.map(\.name)
  }

  static func megabytes(_ bytes: Int) -> String {
    bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20)MB" : ByteSize.human(bytes)
  }

  var describe: String {
    "\(preset.name) (\(ByteSize.hex(offset))..\(ByteSize.hex(end - 1)), \(ByteSize.human(size)))"
  }
}

/// The layout does not suit the connected board; nothing was written or read.
struct FSBoardMismatch: ReportableError {
  enum Kind {
    case platform(chip: Chip)
    case pastFlashEnd
  }

  var kind: Kind
  var target: FSPartitionTarget
  var flashSize: Int?
  var chip: Chip?

  var message: String {
    let preset = target.preset
    switch kind {
    case .platform(let chip):
      let family = preset.platform == .esp8266 ? "an ESP8266" : "an ESP32-family (\(preset.platform))"
      return "layout \(preset.name) is \(family) layout, but the board is an \(chip): its SPIFFS would not mount it"
    case .pastFlashEnd:
      let flash = flashSize.map(FSPartitionTarget.megabytes) ?? "?"
      return "the \(preset.name) partition ends at \(ByteSize.hex(target.end)) "
        + "(\(ByteSize.hex(target.offset)) + \(ByteSize.hex(target.size))), past the end of the board's \(flash) flash"
    }
  }

  var hint: String? {
    let chipForHint: Chip? = {
      if case .platform(let chip) = kind { return chip }
      return chip
    }()
    var parts: [String] = []
    if let chipForHint {
      let names = FSPartitionTarget.suggestions(chip: chipForHint, flashSize: flashSize)
      let family = chipForHint == .esp8266 ? "ESP8266" : "ESP32"
      let size = flashSize.map { " for \(FSPartitionTarget.megabytes($0)) flash" } ?? ""
      if !names.isEmpty {
        parts.append("\(family) layouts\(size): " + names.prefix(6).joined(separator: ", "))
      }
      parts.append(chipForHint == .esp8266 ? "pick the sketch's Flash Size setting with --layout"
                                          : "or pass the sketch's --partitions partitions.csv")
    }
    if case .pastFlashEnd = kind {
      parts.append("the size comes from the flash chip's JEDEC id")
    }
    parts.append("nothing was written or read")
    return parts.joined(separator: "; ")
  }

  var exitStatus: ExitStatus { .usage }
}
