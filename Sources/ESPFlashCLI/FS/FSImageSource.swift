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
  /// From a board, `boardScope` limits the read to what a SPIFFS listing or one file needs; a partition that
  /// turns out not to be SPIFFS is then read again whole.
  func openAny(boardScope: BoardReadScope = .whole) throws -> Opened {
    if let connection = board.connection {
      if image != nil { throw CLIError("give either IMAGE or --port, not both", status: .usage) }
      let events = connection.events()
      let given = try layoutOptions.isEmpty && layoutOptions.fqbn == nil ? nil
        : layoutOptions.resolvePreset(requireComplete: true).map {
          try PartitionTarget.resolve(preset: $0, offset: offset?.value, events: events)
        }
      let read = { (scope: BoardReadScope) throws -> (bytes: [UInt8], preset: SPIFFSLayoutPreset) in
        let result = try BoardFileSystem.download(given: given, tableOffset: board.partitionTableOffset.value,
                                                  scope: scope, connection: connection.settings, events: events)
        guard let preset = result.target?.preset ?? given?.preset else {
          throw CLIError("no layout for the board", status: .usage)
        }
        return (result.bytes, preset)
      }
      var partition: (bytes: [UInt8], preset: SPIFFSLayoutPreset)
      do {
        partition = try read(boardScope)
      } catch is SPIFFSReadError where boardScope != .whole {
        // The SPIFFS-only partial read found no SPIFFS structure: read it whole and let detection decide.
        partition = try read(.whole)
      }
      var mounted = try MountedFileSystem.mount(partition.bytes, preset: partition.preset, events: events)
      if case .littlefs = mounted, boardScope != .whole {
        partition = try read(.whole)
        mounted = try MountedFileSystem.mount(partition.bytes, preset: partition.preset, events: events)
      }
      switch mounted {
      case .littlefs(let littlefs): return .littlefs(littlefs)
      case .spiffs(let spiffs): return .spiffs(spiffs, preset: partition.preset)
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

  /// `fs ls IMAGE` of a SPIFFS image file: the file is mapped and only the pages a listing needs are read
  /// (`ImageFile.list`). Nil for a board, or for bytes that are not plainly SPIFFS: `openAny` then reads the
  /// whole image, detects what it holds and reports any error; the notes of this attempt are only said when
  /// it succeeds, so nothing is said twice.
  func quickSPIFFSListing() -> [SPIFFSEntry]? {
    guard let image, board.port == nil else { return nil }
    let options = layoutOptions
    let narrowing = ImageFile.Narrowing(platform: options.platform?.platform, blockSize: options.block?.value,
                                        imageSize: options.size?.value, pageSize: options.page?.value)
    var notes: [WorkflowEvent] = []
    guard let preset = try? options.resolvePreset(requireComplete: false),
          let entries = try? ImageFile.list(image, preset: preset, offset: offset?.value, narrowing: narrowing,
                                            events: { notes.append($0) }) ?? nil
    else { return nil }
    let handler = CLIEvents().handler
    notes.forEach(handler)
    return entries
  }
}
