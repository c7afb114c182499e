import ArgumentParser
import ESPFlashKit
import SPIFFS

/// The image argument of the reader commands and how its layout is found.
struct FSImageOptions: ParsableArguments {
  @Argument(help: "A SPIFFS image file (or a whole-flash dump with --offset or a preset); or --port to read a board.")
  var image: String?

  @Option(help: "Where the file system starts inside IMAGE (for a whole-flash dump, e.g. from read-flash).")
  var offset: ByteSize?

  @OptionGroup var layoutOptions: FSLayoutOptions

  @OptionGroup(title: "Reading a board") var board: FSBoardSourceOptions

  /// Reads the image, settles the layout (given or detected) and refuses what SPIFFS would not mount.
  /// From a board (`--port`) only the pages `boardScope` needs are read.
  func open(boardScope: BoardReadScope = .whole) throws -> (image: SPIFFSImage, preset: SPIFFSLayoutPreset?,
                                                            detected: LayoutCandidate?) {
    if let fromBoard = try openFromBoard(scope: boardScope) { return fromBoard }
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
