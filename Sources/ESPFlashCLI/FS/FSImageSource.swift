import ArgumentParser
import ESPFlashKit
import LittleFS
import SPIFFS

/// The image argument of the reader commands and how its layout is found.
struct FSImageOptions: ParsableArguments {
  @Argument(help: "A SPIFFS or LittleFS image file (or a whole-flash dump with --offset or a preset).")
  var image: String

  @Option(help: "Where the file system starts inside IMAGE (for a whole-flash dump, e.g. from read-flash).")
  var offset: ByteSize?

  @OptionGroup var layoutOptions: FSLayoutOptions

  /// The file system found in the bytes: SPIFFS or LittleFS (FAT and erased flash are refused, named).
  enum Opened {
    case spiffs(SPIFFSImage, preset: SPIFFSLayoutPreset?)
    case littlefs(LittleFSImage)
  }

  /// Reads the image, tells SPIFFS, LittleFS and FAT apart from the bytes and says which it found.
  func openAny() throws -> Opened {
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
    let options = layoutOptions
    let narrowing = ImageFile.Narrowing(platform: options.platform?.platform, blockSize: options.block?.value,
                                        imageSize: options.size?.value, pageSize: options.page?.value)
    let opened = try ImageFile.open(image, preset: try options.resolvePreset(requireComplete: false), offset: offset?.value,
                                    narrowing: narrowing, events: CLIEvents().handler)
    return (opened.image, opened.preset, opened.detected)
  }
}
