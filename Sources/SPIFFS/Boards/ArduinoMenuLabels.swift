/// The Arduino IDE's Tools-menu labels for the flash-size (ESP8266) and partition-scheme (ESP32) options, so a
/// user can pass the text they see in the menu wherever a layout name is accepted
/// (arduino-integration.md §1.2, §1.3, §2.1).
public enum ArduinoMenuLabels {
  /// ESP8266 cores 2.6.0 … 3.1.x: `menu.eesz.<id>=<flash> (FS:<fs> OTA:~<ota>KB)` (§1.2).
  static let esp8266Current: [(id: String, label: String)] = [
    ("512K32", "512KB (FS:32KB OTA:~230KB)"), ("512K64", "512KB (FS:64KB OTA:~214KB)"),
    ("512K128", "512KB (FS:128KB OTA:~182KB)"),
    ("1M64", "1MB (FS:64KB OTA:~470KB)"), ("1M128", "1MB (FS:128KB OTA:~438KB)"),
    ("1M144", "1MB (FS:144KB OTA:~430KB)"), ("1M160", "1MB (FS:160KB OTA:~422KB)"),
    ("1M192", "1MB (FS:192KB OTA:~406KB)"), ("1M256", "1MB (FS:256KB OTA:~374KB)"),
    ("1M512", "1MB (FS:512KB OTA:~246KB)"),
    ("2M64", "2MB (FS:64KB OTA:~992KB)"), ("2M128", "2MB (FS:128KB OTA:~960KB)"),
    ("2M256", "2MB (FS:256KB OTA:~896KB)"), ("2M512", "2MB (FS:512KB OTA:~768KB)"),
    ("2M1M", "2MB (FS:1MB OTA:~512KB)"),
    ("4M2M", "4MB (FS:2MB OTA:~1019KB)"), ("4M3M", "4MB (FS:3MB OTA:~512KB)"),
    ("4M1M", "4MB (FS:1MB OTA:~1019KB)"),
    ("8M6M", "8MB (FS:6MB OTA:~1019KB)"), ("8M7M", "8MB (FS:7MB OTA:~512KB)"),
    ("16M14M", "16MB (FS:14MB OTA:~1019KB)"), ("16M15M", "16MB (FS:15MB OTA:~512KB)"),
  ]

  /// ESP8266 menu ids without a file system ("FS:none"); the plugins said "SPIFFS Not Defined" for them.
  static let esp8266NoFS: [(id: String, label: String)] = [
    ("512K", "512KB (FS:none OTA:~246KB)"), ("1M", "1MB (FS:none OTA:~502KB)"),
    ("2M", "2MB (FS:none OTA:~1019KB)"), ("4M", "4MB (FS:none OTA:~1019KB)"),
    ("8M", "8MB (FS:none OTA:~1019KB)"), ("16M", "16MB (FS:none OTA:~1019KB)"),
    ("autoflash", "Mapping defined by Hardware and Sketch"),
  ]

  /// ESP8266 core 2.5.x labels ("4M (1M SPIFFS)", §1.3); they select the 2.5.x sizes.
  static let esp8266Core25: [(id: String, label: String)] = [
    ("4M1M@2.5", "4M (1M SPIFFS)"), ("4M2M@2.5", "4M (2M SPIFFS)"), ("4M3M@2.5", "4M (3M SPIFFS)"),
    ("2M1M@2.5", "2M (1M SPIFFS)"), ("1M64@2.5", "1M (64K SPIFFS)"), ("1M128@2.5", "1M (128K SPIFFS)"),
    ("1M144@2.5", "1M (144K SPIFFS)"), ("1M160@2.5", "1M (160K SPIFFS)"), ("1M192@2.5", "1M (192K SPIFFS)"),
    ("1M256@2.5", "1M (256K SPIFFS)"), ("1M512@2.5", "1M (512K SPIFFS)"),
    ("8M6M@2.5", "8M (6M SPIFFS)"), ("8M7M@2.5", "8M (7M SPIFFS)"),
    ("16M14M@2.5", "16M (14M SPIFFS)"), ("16M15M@2.5", "16M (15M SPIFFS)"),
  ]

  /// arduino-esp32 `menu.PartitionScheme.<id>` labels, board `esp32`, 2026 boards.txt (§2.1).
  static let esp32Schemes: [(id: String, label: String)] = [
    ("default", "Default 4MB with spiffs (1.2MB APP/1.5MB SPIFFS)"),
    ("defaultffat", "Default 4MB with ffat (1.2MB APP/1.5MB FATFS)"),
    ("default_8MB", "8M with spiffs (3MB APP/1.5MB SPIFFS)"),
    ("minimal", "Minimal (1.3MB APP/700KB SPIFFS)"),
    ("no_fs", "No FS 4MB (2MB APP x2)"),
    ("no_ota", "No OTA (2MB APP/2MB SPIFFS)"),
    ("noota_3g", "No OTA (1MB APP/3MB SPIFFS)"),
    ("noota_ffat", "No OTA (2MB APP/2MB FATFS)"),
    ("noota_3gffat", "No OTA (1MB APP/3MB FATFS)"),
    ("huge_app", "Huge APP (3MB No OTA/1MB SPIFFS)"),
    ("min_spiffs", "Minimal SPIFFS (1.9MB APP with OTA/128KB SPIFFS)"),
    ("min_spiffs", "Minimal SPIFFS (1.9MB APP with OTA/190KB SPIFFS)"),
    ("fatflash", "16M Flash (2MB APP/12.5MB FATFS)"),
    ("app3M_fat9M_16MB", "16M Flash (3MB APP/9.9MB FATFS)"),
    ("rainmaker", "RainMaker 4MB"), ("rainmaker_4MB", "RainMaker 4MB No OTA"), ("rainmaker_8MB", "RainMaker 8MB"),
    ("storage_4MB", "Storage APP (2MB APP/1MB NVS/1MB SPIFFS)"),
    ("zigbee_zczr", "Zigbee ZCZR 4MB with spiffs"), ("zigbee_zczr_8MB", "Zigbee ZCZR 8MB with spiffs"),
    ("custom", "Custom"),
  ]

  /// Labels compare without case and with runs of spaces folded, as users retype them.
  public static func normalized(_ text: String) -> String {
    SPIFFSLayoutPresets.lowercase(text).split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
  }

  /// The menu entry a label names: (platform family, option id), or nil.
  public static func lookup(label: String) -> (esp8266: Bool, id: String)? {
    let wanted = normalized(label)
    for (id, text) in esp8266Current + esp8266NoFS + esp8266Core25 where normalized(text) == wanted {
      return (true, id)
    }
    for (id, text) in esp32Schemes where normalized(text) == wanted { return (false, id) }
    return nil
  }

  /// Every label, for suggestions and completions.
  public static var allLabels: [String] {
    (esp8266Current + esp8266NoFS + esp8266Core25 + esp32Schemes).map(\.label)
  }

  /// The current-core label of an ESP8266 menu id, e.g. "4MB (FS:1MB OTA:~1019KB)" for 4M1M.
  public static func label(esp8266 id: String) -> String? {
    (esp8266Current + esp8266NoFS).first { SPIFFSLayoutPresets.lowercase($0.id) == SPIFFSLayoutPresets.lowercase(id) }?.label
  }
}
