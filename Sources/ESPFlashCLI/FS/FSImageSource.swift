import ArgumentParser
import ESPFlashKit
import LittleFS
import SPIFFS

/// The image argument of the reader commands and how its layout is found.
struct FSImageOptions: ParsableArguments {
  @Argument(help: "A SPIFFS image file (or a whole-flash dump with --offset or a preset); or --port to read a board.")
  var image: String?

  @Option(help: "Where the file system starts inside IMAGE (for a whole-flash dump, e.g. from read-flash).")
  var offset: ByteSize?

  @OptionGroup var layoutOptions: FSLayoutOptions

  @OptionGroup(title: "Reading a board") var board: FSBoardSourceOptions

  /// The file system found in the bytes: SPIFFS or LittleFS (FAT and erased flash are refused, named).
  enum Opened {
    case spiffs(SPIFFSImage, preset: SPIFFSLayoutPreset?)
    case littlefs(LittleFSImage)
  }

  /// Reads the image (or the board's partition), tells SPIFFS, LittleFS and FAT apart from the bytes and says
  /// which it found.
  func openAny() throws -> Opened {
    if let connection = board.connection {
      if image != nil { throw CLIError("give either IMAGE or --port, not both", status: .usage) }
      let events = connection.events()
      let given = try layoutOptions.isEmpty && layoutOptions.fqbn == nil ? nil
        : layoutOptions.resolvePreset(requireComplete: true).map {
          try PartitionTarget.resolve(preset: $0, offset: offset?.value, events: events)
        }
      let result = try BoardFileSystem.download(given: given, tableOffset: board.partitionTableOffset.value,
                                                connection: connection.settings, events: events)
      guard let preset = result.target?.preset ?? given?.preset else { throw CLIError("no layout for the board", status: .usage) }
      switch try MountedFileSystem.mount(result.bytes, preset: preset, events: events) {
      case .littlefs(let littlefs): return .littlefs(littlefs)
      case .spiffs(let spiffs): return .spiffs(spiffs, preset: preset)
      }
    }
    guard let image else {
      throw CLIError("no image given", hint: "pass an image file, or --port to read the board's file system", status: .usage)
    }
    let options = layoutOptions
    let narrowing = ImageFile.Narrowing(platform: options.platform?.platform, blockSize: options.block?.value,
                                        imageSize: options.size?.value, pageSize: options.page?.value)
    switch try ImageFile.openAny(image, preset: try options.resolvePreset(requireComplete: false), offset: offset?.value,
                                 narrowing: narrowing, events: CLIEvents().handler) {
    case .littlefs(let littlefs): return .littlefs(littlefs)
    case .spiffs(let opened): return .spiffs(opened.image, preset: opened.preset)
    }
  }

  /// Reads the image, settles the layout (given or detected) and refuses what SPIFFS would not mount.
  func open() throws -> (image: SPIFFSImage, preset: SPIFFSLayoutPreset?, detected: LayoutCandidate?) {
    if let fromBoard = try openFromBoard() { return fromBoard }
    guard let image else {
      throw CLIError("no image given", hint: "pass an image file, or --port to read the board's file system", status: .usage)
    }
    let options = layoutOptions
    let narrowing = ImageFile.Narrowing(platform: options.platform?.platform, blockSize: options.block?.value,
                                        imageSize: options.size?.value, pageSize: options.page?.value)
    let opened = try ImageFile.open(image, preset: try options.resolvePreset(requireComplete: false), offset: offset?.value,
                                    narrowing: narrowing, events: CLIEvents().handler)
    return (opened.image, opened.preset, opened.detected)
  }
}
