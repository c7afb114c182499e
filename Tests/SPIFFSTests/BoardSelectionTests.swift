import SPIFFS
import Testing

/// Board names users know (FQBNs, IDE menu labels) resolve to the layouts their builds use
/// (arduino-integration.md §1.2–§2.2), and every misspelling gets a suggestion.
@Suite struct BoardSelectionTests {
  func layout(_ fqbn: String, csv: Bool = false) throws -> String? {
    try BoardSelection.resolve(try FQBN(fqbn), hasSketchPartitions: csv).preset?.name
  }

  @Test func esp8266DefaultsAndOptions() throws {
    #expect(try layout("esp8266:esp8266:nodemcuv2") == "4M2M")
    #expect(try layout("esp8266:esp8266:d1_mini") == "4M2M")
    #expect(try layout("esp8266:esp8266:generic") == "1M64")
    #expect(try layout("esp8266:esp8266:d1_mini_pro") == "16M14M")
    #expect(try layout("esp8266:esp8266:thing") == "512K32")
    #expect(try layout("esp8266:esp8266:nodemcuv2:eesz=4M1M,baud=921600") == "4M1M")
    // Core 2.4.x's menu key selects the 2.4.2 table.
    #expect(try layout("esp8266:esp8266:nodemcuv2:FlashSize=4M1M,UploadSpeed=921600") == "4M1M@2.4.2")
    #expect(try layout("esp8266:esp8266:someboard:eesz=2M1M") == "2M1M")
  }

  @Test func esp32DefaultsAndSchemes() throws {
    #expect(try layout("esp32:esp32:esp32") == "esp32-default")
    #expect(try layout("esp32:esp32:esp32s3") == "esp32-default")
    #expect(try layout("esp32:esp32:esp32c2") == "esp32-minimal")
    #expect(try layout("esp32:esp32:esp32:PartitionScheme=min_spiffs,FlashSize=4M,UploadSpeed=921600") == "esp32-min_spiffs")
    #expect(try layout("esp32:esp32:esp32s3:PartitionScheme=default_8MB,FlashSize=8M") == "esp32-default_8MB")
    #expect(try layout("esp32:esp32:esp32:PartitionScheme=zigbee_zczr") == "esp32-zigbee_zczr")
    // A sketch partitions.csv replaces the scheme, even "custom" or one without a file system.
    let custom = try BoardSelection.resolve(try FQBN("esp32:esp32:esp32:PartitionScheme=custom"), hasSketchPartitions: true)
    #expect(custom.preset == nil && custom.mcu == "esp32")
  }

  @Test func refusalsNameTheMenuOption() throws {
    #expect(throws: BoardError.customNeedsCSV) { try layout("esp32:esp32:esp32:PartitionScheme=custom") }
    #expect(throws: BoardError.fatOnly(scheme: "defaultffat")) { try layout("esp32:esp32:esp32:PartitionScheme=defaultffat") }
    #expect(throws: BoardError.autoflash) { try layout("esp8266:esp8266:nodemcuv2:eesz=autoflash") }
    #expect(throws: BoardError.unsupportedCore("arduino:avr")) { try layout("arduino:avr:uno") }
    do {
      _ = try layout("esp32:esp32:my_custom_board")
      Issue.record("an unknown ESP32 board resolved")
    } catch let error as BoardError {
      #expect(error.description.contains("PartitionScheme") && error.remedy.contains("PartitionScheme=default"))
    }
    do {
      _ = try layout("esp8266:esp8266:nodemcuv2:eesz=4M")
      Issue.record("eesz=4M (no FS) resolved")
    } catch let error as BoardError {
      #expect(error.description == "eesz=4M has no file system partition")
      #expect(error.remedy.contains("eesz=4M2M"))
    }
    do {
      _ = try layout("esp32:esp32:esp32:PartitionScheme=min_spifs")
      Issue.record("a misspelt scheme resolved")
    } catch let error as BoardError {
      #expect(error.remedy.contains("min_spiffs"))
    }
    #expect(throws: BoardError.self) { try FQBN("esp8266:nodemcuv2") }
  }

  @Test func menuLabelsAreLayoutNames() {
    #expect(LayoutNames.preset(named: "4MB (FS:2MB OTA:~1019KB)")?.name == "4M2M")
    #expect(LayoutNames.preset(named: "4mb  (fs:1mb ota:~1019kb)")?.name == "4M1M")
    #expect(LayoutNames.preset(named: "4M (1M SPIFFS)")?.name == "4M1M@2.5")
    #expect(LayoutNames.preset(named: "Minimal SPIFFS (1.9MB APP with OTA/128KB SPIFFS)")?.name == "esp32-min_spiffs")
    #expect(LayoutNames.preset(named: "Default 4MB with spiffs (1.2MB APP/1.5MB SPIFFS)")?.name == "esp32-default")
    #expect(LayoutNames.preset(named: "No FS 4MB (2MB APP x2)") == nil)
  }

  @Test func didYouMean() {
    #expect(LayoutNames.closest(to: "esp32-defualt").first == "esp32-default")
    #expect(LayoutNames.closest(to: "4m1").contains("4M1M"))
    #expect(LayoutNames.closest(to: "eagle.flash.4m2m").contains("eagle.flash.4m2m.ld"))
    #expect(LayoutNames.closest(to: "4MB (FS:2MB OTA:~1019K)").contains("4MB (FS:2MB OTA:~1019KB)"))
    #expect(LayoutNames.closest(to: "zzzzzzzzzzzz").isEmpty)
  }

  /// The binary table round-trips, and the file system SPIFFS.begin() mounts is the one labelled spiffs, not
  /// the last spiffs-subtype row (zigbee_zczr's rcp_fw).
  @Test func binaryPartitionTable() throws {
    let csv = """
      # Name,   Type, SubType, Offset,  Size, Flags
      nvs,      data, nvs,     0x9000,  0x5000,
      otadata,  data, ota,     0xe000,  0x2000,
      app0,     app,  ota_0,   0x10000, 0x140000,
      app1,     app,  ota_1,   0x150000,0x140000,
      spiffs,   data, spiffs,  0x28F000,0x15A000,
      zb_storage, data, fat,   0x3E9000,0x4000,
      rcp_fw,   data, spiffs,  0x3EF000,0x1000,
      coredump, data, coredump,0x3F0000,0x10000,
      """
    let table = try PartitionTable(csv: csv)
    let binary = try table.binary()
    let parsed = try #require(try PartitionTable(binary: binary + [UInt8](repeating: 0xFF, count: 0xC00 - binary.count)))
    #expect(parsed.entries.map(\.name) == table.entries.map(\.name))
    #expect(parsed.entries.map(\.offset) == table.entries.map(\.offset))
    #expect(parsed.entries.map(\.subtype) == ["nvs", "ota", "ota_0", "ota_1", "spiffs", "fat", "spiffs", "coredump"])
    #expect(parsed.mountedSPIFFSPartition?.name == "spiffs")
    #expect(table.spiffsPartition?.name == "rcp_fw")  // what the plugins pick
    #expect(parsed.firstAppPartition?.offset == 0x10000)
    #expect(try PartitionTable(binary: [UInt8](repeating: 0xFF, count: 0xC00)) == nil)
    var corrupt = binary
    corrupt[32] = 0x12
    #expect(throws: PartitionTableError.self) { try PartitionTable(binary: corrupt) }
  }
}
