/// What the Arduino cores' boards.txt says about the boards people use: the first (default) option of the
/// flash-size menu of ESP8266 boards and the chip and first PartitionScheme of ESP32 boards
/// (arduino-integration.md §1.4, §2.1). arduino-cli and the IDE take the first listed option of a menu.
public enum ArduinoBoards {
  /// ESP8266 board id → default `eesz` in cores ≥ 2.6.0 (§1.4, esp8266/Arduino HEAD boards.txt).
  static let esp8266Defaults: [String: String] = {
    var table: [String: String] = [:]
    for id in ["nodemcuv2", "nodemcu", "d1_mini", "d1", "huzzah", "d1_mini_clone", "wifi_kit_8", "espduino",
               "espino", "oak", "wiolink", "blynk", "esp210", "cw01"] { table[id] = "4M2M" }
    for id in ["generic", "esp8285", "d1_mini_lite", "sonoff", "wifinfo", "espmxdevkit", "wifi_slot"] {
      table[id] = "1M64"
    }
    for id in ["d1_wroom_02", "modwifi", "gen4iod", "agruminolemon"] { table[id] = "2M64" }
    for id in ["thing", "thingdev"] { table[id] = "512K32" }
    table["d1_mini_pro"] = "16M14M"
    return table
  }()

  /// ESP8266 board id → default `FlashSize` in core 2.4.2 (§1.4), for FQBNs that use the old menu key.
  static let esp8266Defaults242: [String: String] = [
    "generic": "512K0", "esp8285": "1M0", "nodemcuv2": "4M1M", "nodemcu": "4M1M", "d1_mini": "4M1M",
    "d1": "4M1M", "huzzah": "4M1M", "d1_mini_lite": "1M0", "d1_mini_pro": "16M15M", "thing": "512K0",
    "thingdev": "512K0",
  ]

  /// ESP32 board id → (chip, first PartitionScheme option) (§2.1: every chip's base board lists `default`
  /// first, except esp32c2 whose 2 MB boards start with `minimal`; esp32s3box's menu also starts with default).
  static let esp32Boards: [String: (mcu: String, scheme: String)] = [
    "esp32": ("esp32", "default"), "esp32s2": ("esp32s2", "default"), "esp32s3": ("esp32s3", "default"),
    "esp32c3": ("esp32c3", "default"), "esp32c6": ("esp32c6", "default"), "esp32h2": ("esp32h2", "default"),
    "esp32c5": ("esp32c5", "default"), "esp32p4": ("esp32p4", "default"), "esp32c2": ("esp32c2", "minimal"),
    "esp32s3box": ("esp32s3", "default"),
  ]

  /// What an ESP32 PartitionScheme id holds as a file system (§2.2; CSV base names in §2.1).
  public enum SchemeFileSystem: Equatable, Sendable {
    /// A SPIFFS partition: the built-in layout with its offset and size.
    case spiffs(layout: String)
    /// A FAT partition only (the ffat schemes); this tool writes SPIFFS.
    case fat
    /// No file system partition at all.
    case none
    /// `custom`: the sketch's partitions.csv defines it.
    case custom
  }

  /// The SPIFFS partition each scheme's CSV defines. Where a CSV has two spiffs-subtype rows (zigbee_zczr's
  /// rcp_fw, esp_sr_16's model) the layout is the one labelled `spiffs`, which `SPIFFS.begin()` mounts (§0.3).
  public static let esp32Schemes: [String: SchemeFileSystem] = [
    "default": .spiffs(layout: "esp32-default"), "default_8mb": .spiffs(layout: "esp32-default_8MB"),
    "minimal": .spiffs(layout: "esp32-minimal"), "no_ota": .spiffs(layout: "esp32-no_ota"),
    "noota_3g": .spiffs(layout: "esp32-noota_3g"), "huge_app": .spiffs(layout: "esp32-huge_app"),
    "min_spiffs": .spiffs(layout: "esp32-min_spiffs"), "default_16mb": .spiffs(layout: "esp32-default_16MB"),
    "large_spiffs_16mb": .spiffs(layout: "esp32-large_spiffs_16MB"),
    "storage_4mb": .spiffs(layout: "esp32-storage_4MB_noota"), "zigbee_zczr": .spiffs(layout: "esp32-zigbee_zczr"),
    "esp_sr_16": .spiffs(layout: "esp32-esp_sr_16"),
    "defaultffat": .fat, "noota_ffat": .fat, "noota_3gffat": .fat, "fatflash": .fat, "app3m_fat9m_16mb": .fat,
    "no_fs": .none, "rainmaker": .none, "rainmaker_8mb": .none,
    "custom": .custom,
  ]

  /// Board ids known here, for suggestions.
  public static var esp8266BoardIDs: [String] { esp8266Defaults.keys.sorted() }
  public static var esp32BoardIDs: [String] { esp32Boards.keys.sorted() }
}

/// arduino-esp32 partition schemes that the original layout table did not carry (§2.2).
public enum ESP32SchemePresets {
  private static let mib = 1024 * 1024

  public static let all: [SPIFFSLayoutPreset] = [
    SPIFFSLayoutPreset(name: "esp32-storage_4MB_noota", aliases: ["storage_4MB_noota", "storage_4MB_noota.csv"],
                       platform: .esp32, flashSize: 4 * mib, flashOffset: 0x310000, imageSize: 0xE0000,
                       blockSize: 4096, notes: "arduino-esp32 storage_4MB_noota.csv (PartitionScheme=storage_4MB)"),
    SPIFFSLayoutPreset(name: "esp32-zigbee_zczr", aliases: ["zigbee_zczr", "zigbee_zczr.csv"], platform: .esp32,
                       flashSize: 4 * mib, flashOffset: 0x28F000, imageSize: 0x15A000, blockSize: 4096,
                       notes: "arduino-esp32 zigbee_zczr.csv, partition 'spiffs' (not the 4 KiB rcp_fw)"),
    SPIFFSLayoutPreset(name: "esp32-esp_sr_16", aliases: ["esp_sr_16", "esp_sr_16.csv"], platform: .esp32,
                       flashSize: 16 * mib, flashOffset: 0x610000, imageSize: 0x600000, blockSize: 4096,
                       notes: "arduino-esp32 esp_sr_16.csv, partition 'spiffs' (not the speech 'model')"),
  ]
}
