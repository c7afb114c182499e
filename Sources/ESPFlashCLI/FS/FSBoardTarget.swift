import ESPFlashKit
import SPIFFS

/// `fs ls --port` / `fs cat --port`: the partition the layout options name, on the connected board, read
/// with only the pages each answer needs (`SPIFFSBoardRead`).
enum FSBoardTarget {
  static func resolve(_ source: FSImageOptions, _ connection: ConnectionOptions) throws -> PartitionTarget {
    guard let preset = try source.layoutOptions.resolvePreset(requireComplete: true) else {
      throw CLIError("a layout is needed to read a board's file system", status: .usage)
    }
    let target = try PartitionTarget.resolve(preset: preset, offset: source.offset?.value, events: connection.events())
    if let chip = connection.chip.chip { try target.checkPlatform(chip: chip, flashSize: nil) }
    return target
  }

  static func list(_ source: FSImageOptions, _ connection: ConnectionOptions) throws -> [ImageFileEntry] {
    try SPIFFSBoardRead.list(try resolve(source, connection), connection: connection.settings,
                             events: connection.events()).files
  }

  static func file(named name: [UInt8], _ source: FSImageOptions, _ connection: ConnectionOptions) throws -> [UInt8] {
    try SPIFFSBoardRead.file(named: name, try resolve(source, connection), connection: connection.settings,
                             events: connection.events()).data
  }
}
