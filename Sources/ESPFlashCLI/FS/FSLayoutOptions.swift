import ArgumentParser
import ESPFlashKit
import Foundation
import SPIFFS

/// `--platform esp8266|esp32|esp-idf`.
enum PlatformOption: String, ExpressibleByArgument, CaseIterable {
  case esp8266
  case esp32
  case espIDF = "esp-idf"

  var platform: SPIFFSLayout.Platform {
    switch self {
    case .esp8266: .esp8266
    case .esp32: .esp32
    case .espIDF: .espIDF
    }
  }
}

/// How the user names the image geometry: a preset, a partition table, or explicit numbers.
struct FSLayoutOptions: ParsableArguments {
  @Option(help: ArgumentHelp("A layout preset, e.g. 4M1M, 4M1M@2.5, 1M128, esp32-default (see `fs layouts`), or the IDE's menu label in quotes, e.g. \"4MB (FS:2MB OTA:~1019KB)\".", valueName: "name"),
          completion: .list(SPIFFSLayoutPresets.all.map(\.name)))
  var layout: String?

  @Option(help: "The Arduino board: esp8266:esp8266:nodemcuv2[:eesz=4M2M] or esp32:esp32:esp32[:PartitionScheme=min_spiffs]; without the option, the board's default.")
  var fqbn: String?

  @Option(name: .customLong("pio-env"), help: "The platformio.ini environment to read (board_build.*, data_dir, upload_port, upload_speed).")
  var pioEnv: String?

  @Option(help: "An ESP32 partitions.csv; its spiffs partition gives offset and size (block 4096).")
  var partitions: String?

  @Option(help: "Image size (hex, decimal, K/M).")
  var size: ByteSize?

  @Option(help: "SPIFFS block size (4096, or 8192 for ESP8266 file systems of 512 KiB and more).")
  var block: ByteSize?

  @Option(help: "SPIFFS page size.")
  var page: ByteSize?

  @Option(help: "SPIFFS build configuration: esp8266, esp32 or esp-idf.")
  var platform: PlatformOption?

  var isEmpty: Bool {
    layout == nil && partitions == nil && size == nil && block == nil && page == nil && platform == nil
  }

  /// A fully specified preset, or nil when the options leave something open (reader commands detect it).
  func resolvePreset(requireComplete: Bool) throws -> SPIFFSLayoutPreset? {
    if let name = layout {
      guard partitions == nil, size == nil, block == nil, page == nil else {
        throw CLIError("--layout cannot be combined with --partitions, --size, --block or --page", status: .usage)
      }
      guard var preset = LayoutNames.preset(named: name) else {
        throw CLIError("unknown layout '\(name)'", hint: Self.suggestion(for: name), status: .usage)
      }
      if let platform {
        let sameFamily = (preset.platform == .esp8266) == (platform.platform == .esp8266)
        guard sameFamily else {
          throw CLIError("layout \(preset.name) is an \(preset.platform) layout, not \(platform.rawValue)", status: .usage)
        }
        preset.platform = platform.platform
      }
      return preset
    }
    if let path = partitions {
      guard size == nil, block == nil else {
        throw CLIError("--partitions cannot be combined with --size or --block", status: .usage)
      }
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw CLIError("cannot read partition table \(path)", status: FileManager.default.fileExists(atPath: path) ? .dataError : .noInput)
      }
      var preset = try PartitionTable(csv: text).spiffsPreset(
        platform: platform?.platform ?? .esp32, name: URL(fileURLWithPath: path).lastPathComponent)
      if let page { preset.pageSize = page.value }
      return preset
    }
    if size == nil, block == nil, platform == nil, let fqbn {
      return try BoardSelection.resolve(try FQBN(fqbn)).preset
    }
    guard let size, let block, let platform else {
      if requireComplete {
        throw CLIError("a layout is needed: --layout NAME, --fqbn BOARD, --partitions CSV, or --size S --block B --platform P",
                       hint: "`espflash-swift fs layouts` lists the presets, e.g. --layout 4M1M or --fqbn esp8266:esp8266:nodemcuv2; a sketch folder with sketch.yaml (default_fqbn) or partitions.csv names its own",
                       status: .usage)
      }
      return nil
    }
    return .custom(platform: platform.platform, imageSize: size.value, blockSize: block.value,
                   pageSize: page?.value ?? 256)
  }

  /// "did you mean" for a mistyped layout name or menu label.
  static func suggestion(for name: String) -> String {
    let close = LayoutNames.closest(to: name)
    return (close.isEmpty ? "" : "did you mean \(close.joined(separator: ", "))? ") + "`espflash-swift fs layouts` lists every preset"
  }
}
