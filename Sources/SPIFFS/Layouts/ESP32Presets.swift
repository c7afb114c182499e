/// arduino-esp32 partition CSVs (`tools/partitions/*.csv`, `spiffs-format.md` §5.4) and the ESP-IDF SPIFFS
/// example. The ESP32FS plugin always uses page 256 and block 4096 (§5.4); ESP-IDF mounts with the 4 KiB
/// flash sector as its block (§5.5).
public enum ESP32Presets {
  private static let mib = 1024 * 1024

  private static func preset(_ csv: String, _ flash: Int, _ offset: Int, _ size: Int, _ notes: String,
                             variant: String? = nil, platform: SPIFFSLayout.Platform = .esp32) -> SPIFFSLayoutPreset {
    let name = "esp32-" + csv + (variant.map { "@" + $0 } ?? "")
    let aliases = variant.map { [csv + "@" + $0] } ?? [csv, csv + ".csv"]
    return SPIFFSLayoutPreset(name: name, aliases: aliases, platform: platform, flashSize: flash,
                              flashOffset: offset, imageSize: size, blockSize: 4096, notes: notes)
  }

  public static let all: [SPIFFSLayoutPreset] = [
    preset("default", 4 * mib, 0x290000, 0x160000, "arduino-esp32 2.x/3.x default.csv; coredump at 0x3F0000"),
    preset("default", 4 * mib, 0x291000, 0x16F000, "arduino-esp32 1.0.x default.csv; eeprom at 0x290000",
           variant: "1.0"),
    preset("min_spiffs", 4 * mib, 0x3D0000, 0x20000, "arduino-esp32 3.x min_spiffs.csv; coredump at 0x3F0000"),
    preset("min_spiffs", 4 * mib, 0x3D0000, 0x30000, "older min_spiffs.csv, no coredump partition",
           variant: "old"),
    preset("no_ota", 4 * mib, 0x210000, 0x1E0000, "arduino-esp32 no_ota.csv; coredump at 0x3F0000"),
    preset("huge_app", 4 * mib, 0x310000, 0xE0000, "arduino-esp32 3.x huge_app.csv; coredump at 0x3F0000"),
    preset("huge_app", 4 * mib, 0x310000, 0xF0000, "older huge_app.csv, no coredump partition", variant: "old"),
    preset("minimal", 2 * mib, 0x150000, 0xA0000, "arduino-esp32 minimal.csv (2 MB flash); coredump at 0x1F0000"),
    preset("noota_3g", 4 * mib, 0x110000, 0x2F0000, "arduino-esp32 noota_3g.csv"),
    preset("default_8MB", 8 * mib, 0x670000, 0x180000, "arduino-esp32 default_8MB.csv; coredump at 0x7F0000"),
    preset("default_8MB", 8 * mib, 0x670000, 0x190000, "older default_8MB.csv, no coredump partition",
           variant: "old"),
    preset("default_16MB", 16 * mib, 0xC90000, 0x370000, "arduino-esp32 default_16MB.csv"),
    preset("default_16MB", 16 * mib, 0xC90000, 0x360000,
           "newer default_16MB.csv with coredump at 0xFF0000 (not verified)", variant: "coredump"),
    preset("large_spiffs_16MB", 16 * mib, 0x910000, 0x6E0000,
           "arduino-esp32 large_spiffs_16MB.csv; coredump at 0xFF0000"),
    SPIFFSLayoutPreset(name: "esp-idf-example", aliases: ["esp-idf"], platform: .espIDF, flashSize: nil,
                       flashOffset: 0x110000, imageSize: 0xF0000, blockSize: 4096,
                       notes: "ESP-IDF examples/storage/spiffs partitions_example.csv (storage after a 1 MB factory app)"),
  ]
}
