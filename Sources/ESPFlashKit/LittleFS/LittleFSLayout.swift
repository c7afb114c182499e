import LittleFS
import SPIFFS

/// A LittleFS partition: the same place and size as the SPIFFS layout presets (ESP8266 menus, arduino-esp32
/// partition schemes and partitions.csv, ESP-IDF), with LittleFS' own block size (littlefs-format.md §8).
public struct LittleFSLayout: Sendable, Equatable {
  /// Where the partition lives and how big it is; the SPIFFS preset tables are the single source.
  public var preset: SPIFFSLayoutPreset

  public init(preset: SPIFFSLayoutPreset) { self.preset = preset }

  /// The device the image is for: ESP8266 core, arduino-esp32 or ESP-IDF (custom layouts: by platform).
  public var target: LittleFSTarget {
    switch preset.platform {
    case .esp8266: .esp8266
    case .esp32: .esp32
    case .espIDF: .espIDF
    }
  }

  /// ESP8266: the layout's FS block (4096 below 512 KiB, else 8192, §8.1) — the SPIFFS block of the same
  /// menu entry; ESP32 and ESP-IDF: always 4096 (§8.2).
  public var blockSize: Int { preset.platform == .esp8266 || preset.isCustom ? preset.blockSize : 4096 }
  public var imageSize: Int { preset.imageSize }
  public var blockCount: Int { imageSize / blockSize }
  public var name: String { preset.name }

  /// The mklittlefs a platform ships today (§7.2, §7.4).
  public var defaultTool: LittleFSToolProfile { preset.platform == .esp8266 ? .esp8266 : .esp32 }

  public var description: String {
    "\(preset.isCustom ? "custom" : preset.name): \(target.rawValue), offset \(Hex.address(preset.flashOffset)), "
      + "size \(Hex.address(imageSize)), \(blockCount) blocks of \(blockSize)"
  }
}
