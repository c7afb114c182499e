import ArgumentParser
import ESPFlashKit
import SPIFFS

/// The image argument of the reader commands and how its layout is found.
struct FSImageOptions: ParsableArguments {
  @Argument(help: "A SPIFFS image file (or a whole-flash dump with --offset or a preset).")
  var image: String?

  @Option(help: "Where the file system starts inside IMAGE (for a whole-flash dump, e.g. from read-flash).")
  var offset: ByteSize?

  @OptionGroup var layoutOptions: FSLayoutOptions

  /// Reads the image, settles the layout (given or detected) and refuses what SPIFFS would not mount.
  func open() throws -> (image: SPIFFSImage, preset: SPIFFSLayoutPreset?, detected: LayoutCandidate?) {
    guard let image else {
      throw CLIError("no image file given", hint: "name a SPIFFS image file, or --port PORT with --layout to read a board",
                     status: .usage)
    }
    let options = layoutOptions
    let narrowing = ImageFile.Narrowing(platform: options.platform?.platform, blockSize: options.block?.value,
                                        imageSize: options.size?.value, pageSize: options.page?.value)
    let opened = try ImageFile.open(image, preset: try options.resolvePreset(requireComplete: false), offset: offset?.value,
                                    narrowing: narrowing, events: CLIEvents().handler)
    return (opened.image, opened.preset, opened.detected)
  }
}
