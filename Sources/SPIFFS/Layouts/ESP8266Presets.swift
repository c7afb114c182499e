/// ESP8266 Arduino core layouts (`spiffs-format.md` §5.1, §5.2; `users-and-credentials.md` §2.2).
public enum ESP8266Presets {
  private static let kib = 1024, mib = 1024 * 1024

  /// One row of §5.1: menu name, flash size, FS offset, FS size, block, and the 2.5.2 size when different.
  private struct Row {
    var name: String, flash: Int, offset: Int, size: Int, block: Int
    /// nil: same as current; 0: the layout did not exist in 2.5.2.
    var size25: Int?
    var block25: Int?
  }

  // Generated from the core's eagle.flash.*.ld (tools/boards.txt.py), identical in 2.6.0 … 3.1.2 (§5.1).
  private static let rows: [Row] = [
    Row(name: "512K32", flash: 512 * kib, offset: 0x073000, size: 0x8000, block: 4096),
    Row(name: "512K64", flash: 512 * kib, offset: 0x06B000, size: 0x10000, block: 4096),
    Row(name: "512K128", flash: 512 * kib, offset: 0x05B000, size: 0x20000, block: 4096),
    Row(name: "1M64", flash: mib, offset: 0x0EB000, size: 0x10000, block: 4096),
    Row(name: "1M128", flash: mib, offset: 0x0DB000, size: 0x20000, block: 4096),
    Row(name: "1M144", flash: mib, offset: 0x0D7000, size: 0x24000, block: 4096),
    Row(name: "1M160", flash: mib, offset: 0x0D3000, size: 0x28000, block: 4096),
    Row(name: "1M192", flash: mib, offset: 0x0CB000, size: 0x30000, block: 4096),
    Row(name: "1M256", flash: mib, offset: 0x0BB000, size: 0x40000, block: 4096),
    Row(name: "1M512", flash: mib, offset: 0x07B000, size: 0x80000, block: 8192, block25: 4096),
    Row(name: "2M64", flash: 2 * mib, offset: 0x1F0000, size: 0xB000, block: 4096, size25: 0),
    Row(name: "2M128", flash: 2 * mib, offset: 0x1E0000, size: 0x1B000, block: 4096),
    Row(name: "2M256", flash: 2 * mib, offset: 0x1C0000, size: 0x3B000, block: 4096),
    Row(name: "2M512", flash: 2 * mib, offset: 0x180000, size: 0x7A000, block: 8192, size25: 0x7B000),
    Row(name: "2M1M", flash: 2 * mib, offset: 0x100000, size: 0xFA000, block: 8192, size25: 0xFB000),
    Row(name: "4M1M", flash: 4 * mib, offset: 0x300000, size: 0xFA000, block: 8192, size25: 0xFB000),
    Row(name: "4M2M", flash: 4 * mib, offset: 0x200000, size: 0x1FA000, block: 8192, size25: 0x1FB000),
    Row(name: "4M3M", flash: 4 * mib, offset: 0x100000, size: 0x2FA000, block: 8192, size25: 0x2FB000),
    Row(name: "8M6M", flash: 8 * mib, offset: 0x200000, size: 0x5FA000, block: 8192, size25: 0x5FB000),
    Row(name: "8M7M", flash: 8 * mib, offset: 0x100000, size: 0x6FA000, block: 8192, size25: 0x6FB000),
    Row(name: "16M14M", flash: 16 * mib, offset: 0x200000, size: 0xDFA000, block: 8192, size25: 0xDFB000),
    Row(name: "16M15M", flash: 16 * mib, offset: 0x100000, size: 0xEFA000, block: 8192, size25: 0xEFB000),
  ]

  /// Cores 2.6.0 … 3.1.x (and master): FS end rounded down to whole blocks.
  public static let current: [SPIFFSLayoutPreset] = rows.map { row in
    SPIFFSLayoutPreset(
      name: row.name, aliases: ["eagle.flash.\(SPIFFSLayoutPresets.lowercase(row.name)).ld"], platform: .esp8266,
      flashSize: row.flash, flashOffset: row.offset, imageSize: row.size, blockSize: row.block,
      notes: "ESP8266 Arduino core 2.6.0 … 3.1.x")
  }

  /// Core 2.5.x: the same menu names, FS ending at …FB000 (not a whole number of 8 KiB blocks: SPIFFS uses
  /// floor(size/block) blocks and leaves 4 KiB unused), and 1M512 with 4 KiB blocks.
  public static let core25: [SPIFFSLayoutPreset] = rows.compactMap { row in
    if row.size25 == 0 { return nil }
    let size = row.size25 ?? row.size
    let block = row.block25 ?? row.block
    let differs = size != row.size || block != row.block
    return SPIFFSLayoutPreset(
      name: row.name + "@2.5", aliases: [row.name + "@2.5.2"], platform: .esp8266, flashSize: row.flash,
      flashOffset: row.offset, imageSize: size, blockSize: block,
      notes: "ESP8266 Arduino core 2.5.x" + (differs ? " (differs from 2.6+)" : ""))
  }

  /// Core 2.4.2 (and 2.3.0/2.4.x): `_SPIFFS_*` linker symbols and older menu names (§5.2).
  public static let core242: [SPIFFSLayoutPreset] = {
    let table: [(String, [String], String, Int, Int, Int, Int)] = [
      ("512K32", [], "eagle.flash.512k32.ld", 512 * kib, 0x073000, 0x8000, 4096),
      ("512K64", [], "eagle.flash.512k64.ld", 512 * kib, 0x06B000, 0x10000, 4096),
      ("512K128", [], "eagle.flash.512k128.ld", 512 * kib, 0x05B000, 0x20000, 4096),
      ("1M64", [], "eagle.flash.1m64.ld", mib, 0x0EB000, 0x10000, 4096),
      ("1M128", [], "eagle.flash.1m128.ld", mib, 0x0DB000, 0x20000, 4096),
      ("1M144", [], "eagle.flash.1m144.ld", mib, 0x0D7000, 0x24000, 4096),
      ("1M160", [], "eagle.flash.1m160.ld", mib, 0x0D3000, 0x28000, 4096),
      ("1M192", [], "eagle.flash.1m192.ld", mib, 0x0CB000, 0x30000, 4096),
      ("1M256", [], "eagle.flash.1m256.ld", mib, 0x0BB000, 0x40000, 4096),
      ("1M512", [], "eagle.flash.1m512.ld", mib, 0x07B000, 0x80000, 8192),
      ("2M1M", ["2M"], "eagle.flash.2m.ld, \"2M (1M SPIFFS)\"", 2 * mib, 0x100000, 0xFB000, 8192),
      ("4M3M", ["4M"], "eagle.flash.4m.ld, \"4M (3M SPIFFS)\"", 4 * mib, 0x100000, 0x2FB000, 8192),
      ("4M1M", [], "eagle.flash.4m1m.ld", 4 * mib, 0x300000, 0xFB000, 8192),
      ("4M2M", [], "eagle.flash.4m2m.ld", 4 * mib, 0x200000, 0x1FB000, 8192),
      ("8M7M", ["8M"], "eagle.flash.8m.ld, \"8M (7M SPIFFS)\"", 8 * mib, 0x100000, 0x6FB000, 8192),
      ("16M15M", ["16M"], "eagle.flash.16m.ld, \"16M (15M SPIFFS)\"", 16 * mib, 0x100000, 0xEFB000, 8192),
    ]
    return table.map { name, aliases, script, flash, offset, size, block in
      SPIFFSLayoutPreset(
        name: name + "@2.4.2", aliases: aliases.map { $0 + "@2.4.2" }, platform: .esp8266, flashSize: flash,
        flashOffset: offset, imageSize: size, blockSize: block,
        notes: "ESP8266 Arduino core 2.4.2 (2.3.0/2.4.x), \(script)")
    }
  }()

  /// The FS placement `tools/boards.txt.py` `flash_map()` computes (core ≥ 2.6.0): block 4096 below
  /// 512 KiB of FS, else 8192; above 1 MiB of flash the FS starts at `flash - fs`; it ends at
  /// `flash - 20 KiB`, rounded down to whole blocks (users-and-credentials.md §2.2).
  public static func flashMap(flashSize: Int, fsSize: Int) -> (offset: Int, size: Int, blockSize: Int) {
    let block = fsSize < 512 * kib ? 4096 : 8192
    let limit = flashSize - 20 * kib
    let start = flashSize > mib ? flashSize - fsSize : limit - fsSize
    let size = (limit - start) / block * block
    return (start, size, block)
  }
}
