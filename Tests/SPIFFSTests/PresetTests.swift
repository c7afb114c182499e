import SPIFFS
import Testing

@Suite struct PresetTests {
  static let esp8266Names = ["512K32", "512K64", "512K128", "1M64", "1M128", "1M144", "1M160", "1M192", "1M256",
                             "1M512", "2M64", "2M128", "2M256", "2M512", "2M1M", "4M1M", "4M2M", "4M3M", "8M6M",
                             "8M7M", "16M14M", "16M15M"]

  @Test func everyCurrentESP8266LayoutExists() {
    #expect(ESP8266Presets.current.map(\.name) == Self.esp8266Names)
  }

  @Test(arguments: SPIFFSLayoutPresets.all)
  func everyPresetIsAValidLayoutInsideItsFlash(_ preset: SPIFFSLayoutPreset) throws {
    try preset.layout.validate()
    if let flash = preset.flashSize { #expect(preset.flashOffset + preset.imageSize <= flash) }
    #expect(preset.pageSize == 256)
    #expect(preset.flashOffset % 0x1000 == 0)
    #expect(SPIFFSLayoutPresets.named(preset.name) == preset)
    for alias in preset.aliases { #expect(SPIFFSLayoutPresets.named(alias) == preset) }
  }

  @Test func namesAreUnique() {
    var seen = Set<String>()
    for preset in SPIFFSLayoutPresets.all {
      for name in [preset.name] + preset.aliases {
        #expect(seen.insert(name.lowercased()).inserted, "\(name) appears twice")
      }
    }
  }

  @Test(arguments: ESP8266Presets.current)
  func currentLayoutsFollowTheBlockRuleAndFlashMap(_ preset: SPIFFSLayoutPreset) throws {
    #expect(preset.imageSize % preset.blockSize == 0)
    let flash = try #require(preset.flashSize)
    // The menu name is flash + FS: "1M64" = 64 KiB, "4M3M" = 3 MiB of FS.
    let cut = try #require(preset.name.firstIndex { $0 == "K" || $0 == "M" })
    let fsPart = preset.name[preset.name.index(after: cut)...]
    let fs = fsPart.hasSuffix("M") ? try #require(Int(fsPart.dropLast())) << 20 : try #require(Int(fsPart)) << 10
    // 4096 below 512 KiB of FS (as requested in the menu; 2M512 ends up smaller), else 8192 (§5.1), and a
    // whole number of blocks since 2.6.0.
    #expect(preset.blockSize == (fs < 512 * 1024 ? 4096 : 8192))
    let mapped = ESP8266Presets.flashMap(flashSize: flash, fsSize: fs)
    #expect(mapped.offset == preset.flashOffset)
    #expect(mapped.size == preset.imageSize)
    #expect(mapped.blockSize == preset.blockSize)
  }

  @Test func core25SizesEndAtFB000AndAreSelectableByVersion() throws {
    let old = try #require(SPIFFSLayoutPresets.named("4M1M@2.5"))
    #expect(old.imageSize == 0xFB000 && old.blockSize == 8192 && old.flashOffset == 0x300000)
    #expect(SPIFFSLayoutPresets.named("4m1m@2.5.2") == old)
    // Not a whole number of blocks: SPIFFS uses 125 and leaves 4 KiB unused (§5.1).
    #expect(old.layout.blockCount == 125)
    #expect(SPIFFSLayoutPresets.named("1M512@2.5")?.blockSize == 4096)
    #expect(SPIFFSLayoutPresets.named("2M64@2.5") == nil)
    #expect(SPIFFSLayoutPresets.named("16M15M@2.5")?.imageSize == 0xEFB000)
    #expect(SPIFFSLayoutPresets.named("1M128@2.5")?.imageSize == 0x20000)
    for preset in ESP8266Presets.core25 where preset.blockSize == 8192 && !preset.name.hasPrefix("1M512") {
      #expect(preset.imageSize % 0x2000 == 0x1000, "\(preset.name)")
    }
  }

  @Test func core242NamesAndValues() throws {
    #expect(SPIFFSLayoutPresets.named("4M1M@2.4.2")?.imageSize == 0xFB000)
    #expect(SPIFFSLayoutPresets.named("4M@2.4.2")?.imageSize == 0x2FB000)
    #expect(SPIFFSLayoutPresets.named("4M3M@2.4")?.flashOffset == 0x100000)
    #expect(SPIFFSLayoutPresets.named("2M@2.3.0")?.imageSize == 0xFB000)
    #expect(SPIFFSLayoutPresets.named("1M512@2.4.2")?.blockSize == 8192)
    #expect(SPIFFSLayoutPresets.named("16M@2.4.2")?.imageSize == 0xEFB000)
    #expect(SPIFFSLayoutPresets.named("4M1M@3.1.2")?.imageSize == 0xFA000)
    #expect(SPIFFSLayoutPresets.named("4M1M@2.6.0")?.imageSize == 0xFA000)
  }

  @Test func esp32PresetsMatchThePartitionCSVs() throws {
    let table: [(String, Int, Int)] = [
      ("default", 0x290000, 0x160000), ("esp32-default@1.0", 0x291000, 0x16F000),
      ("MIN_SPIFFS", 0x3D0000, 0x20000), ("no_ota.csv", 0x210000, 0x1E0000), ("huge_app", 0x310000, 0xE0000),
      ("minimal", 0x150000, 0xA0000), ("noota_3g", 0x110000, 0x2F0000), ("default_16MB", 0xC90000, 0x370000),
      ("large_spiffs_16MB", 0x910000, 0x6E0000), ("esp-idf-example", 0x110000, 0xF0000),
    ]
    for (name, offset, size) in table {
      let preset = try #require(SPIFFSLayoutPresets.named(name), "\(name)")
      #expect(preset.flashOffset == offset && preset.imageSize == size, "\(name)")
      #expect(preset.blockSize == 4096)
      #expect(preset.layout.platform == .esp32)
    }
    #expect(SPIFFSLayoutPresets.named("esp32-default")?.layout.blockCount == 352)
  }

  @Test func aDoesNotFitHintPicksTheSmallestLargerPresetOfThePlatform() {
    #expect(SPIFFSLayoutPresets.smallestHolding(bytes: 0x20001, platform: .esp8266)?.name == "1M144")
    #expect(SPIFFSLayoutPresets.smallestHolding(bytes: 0x160001, platform: .esp32)?.name == "esp32-default_8MB")
    #expect(SPIFFSLayoutPresets.smallestHolding(bytes: 0x7000000, platform: .esp8266) == nil)
  }
}
