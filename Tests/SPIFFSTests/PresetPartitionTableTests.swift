import SPIFFS
import Testing

@Suite struct PresetPartitionTableTests {
  @Test func arduinoDefaultCSV() throws {
    let csv = """
      # Name,   Type, SubType, Offset,  Size, Flags
      nvs,      data, nvs,     0x9000,  0x5000,
      otadata,  data, ota,     0xe000,  0x2000,
      app0,     app,  ota_0,   0x10000, 0x140000,
      app1,     app,  ota_1,   0x150000,0x140000,
      spiffs,   data, spiffs,  0x290000,0x160000,
      coredump, data, coredump,0x3F0000,0x10000,
      """
    let table = try PartitionTable(csv: csv)
    #expect(table.entries.count == 6)
    let preset = try table.spiffsPreset()
    #expect(preset.flashOffset == 0x290000 && preset.imageSize == 0x160000 && preset.blockSize == 4096)
    #expect(preset.layout == SPIFFSLayoutPresets.named("esp32-default")?.layout)
    #expect(table.spiffsPartition?.line == 6)
  }

  @Test func blankOffsetsFollowThePreviousPartitionWithAlignment() throws {
    // ESP-IDF examples/storage/spiffs: storage follows a 1M factory app at 0x110000.
    let csv = """
      nvs,      data, nvs,     0x9000,  0x6000,
      phy_init, data, phy,     0xf000,  0x1000,
      factory,  app,  factory, 0x10000, 1M,
      storage,  data, spiffs,  ,        0xF0000,
      """
    let preset = try PartitionTable(csv: csv).spiffsPreset(platform: .espIDF)
    #expect(preset.flashOffset == 0x110000 && preset.imageSize == 0xF0000)
    #expect(preset.platform == .espIDF)

    let allBlank = """
      nvs,      data, nvs,     ,  0x5000
      otadata,  data, ota,     ,  8K
      app0,     app,  ota_0,   ,  1M
      spiffs,   data, spiffs,  ,  960K
      """
    let table = try PartitionTable(csv: allBlank)
    #expect(table.entries.map(\.offset) == [0x9000, 0xE000, 0x10000, 0x110000])
    #expect(table.entries.map(\.size) == [0x5000, 0x2000, 0x100000, 960 * 1024])
    // An app after a data partition rounds up to 64 KiB.
    let app = try PartitionTable(csv: "nvs, data, nvs, , 0x6000\nfactory, app, factory, , 0x100000\n")
    #expect(app.entries[1].offset == 0x10000)
    let decimal = try PartitionTable(csv: "x, data, spiffs, 1048576, 65536")
    #expect(decimal.entries[0].offset == 0x100000 && decimal.entries[0].size == 0x10000)
  }

  @Test func theLastSPIFFSLineWinsAndNamesCount() throws {
    let csv = """
      spiffs_a, data, spiffs, 0x200000, 0x10000
      web,      data, 0x82,   0x300000, 0x20000
      other,    data, fat,    0x340000, 0x10000
      """
    #expect(try PartitionTable(csv: csv).spiffsPreset().flashOffset == 0x300000)
    let byName = try PartitionTable(csv: "my_spiffs, data, 0x99, 0x100000, 0x10000\nnvs, data, nvs, 0x9000, 0x5000")
    #expect(try byName.spiffsPreset().flashOffset == 0x100000)
  }

  @Test func errorsNameTheLine() {
    #expect(throws: PartitionTableError(line: 2, reason: "size 'lots' is not a positive number (hex, decimal, K or M)")) {
      try PartitionTable(csv: "nvs, data, nvs, 0x9000, 0x5000\nspiffs, data, spiffs, 0x10000, lots")
    }
    #expect(throws: PartitionTableError.self) { try PartitionTable(csv: "spiffs, data, spiffs, 0x10000") }
    #expect(throws: PartitionTableError.self) { try PartitionTable(csv: "nvs, data, nvs, 0x9000, 0x5000").spiffsPreset() }
    #expect(throws: PartitionTableError.self) { try PartitionTable(csv: "x, data, spiffs, zz, 0x5000") }
  }

  @Test func numbers() {
    #expect(PartitionTable.parseNumber("0x1F0000") == 0x1F0000)
    #expect(PartitionTable.parseNumber("1M") == 1 << 20)
    #expect(PartitionTable.parseNumber("64k") == 65536)
    #expect(PartitionTable.parseNumber("4096") == 4096)
    #expect(PartitionTable.parseNumber("0x") == nil)
    #expect(PartitionTable.parseNumber("-5") == nil)
    #expect(PartitionTable.parseNumber("") == nil)
  }
}
