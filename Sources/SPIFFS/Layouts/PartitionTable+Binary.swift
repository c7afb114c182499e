/// The binary partition table gen_esp32part writes and ESP-IDF's bootloader reads at 0x8000
/// (arduino-integration.md §2.2 "Binary table"): 32-byte rows of magic AA 50, type, subtype, offset, size,
/// a 16-byte NUL-padded label and flags; an optional MD5 row (EB EB …); 0xFF ends the table.
extension PartitionTable {
  /// Where ESP-IDF and arduino-esp32 put the table (CONFIG_PARTITION_TABLE_OFFSET's default).
  public static let defaultBinaryOffset = 0x8000
  /// The table's maximum length (gen_esp32part MAX_PARTITION_LENGTH).
  public static let binaryLength = 0xC00

  /// Parses the table read from flash. Returns nil when the bytes do not start with a partition row (an erased
  /// or foreign sector), so a caller can say "no partition table" rather than "corrupt".
  public init?(binary bytes: [UInt8]) throws(PartitionTableError) {
    guard bytes.count >= 32, bytes[0] == 0xAA, bytes[1] == 0x50 else { return nil }
    var entries: [PartitionEntry] = []
    var row = 0
    while (row + 1) * 32 <= min(bytes.count, Self.binaryLength) {
      let base = row * 32
      let magic = (bytes[base], bytes[base + 1])
      if magic == (0xFF, 0xFF) || magic == (0xEB, 0xEB) { break }  // end, or the MD5 row that closes the table
      guard magic == (0xAA, 0x50) else {
        throw PartitionTableError(line: row + 1, reason: "row \(row + 1) at +0x\(String(base, radix: 16)) has magic "
          + "\(hex2(magic.0))\(hex2(magic.1)), not AA50")
      }
      func word(_ at: Int) -> Int {
        Int(bytes[base + at]) | Int(bytes[base + at + 1]) << 8 | Int(bytes[base + at + 2]) << 16 | Int(bytes[base + at + 3]) << 24
      }
      let labelBytes = bytes[(base + 12)..<(base + 28)].prefix { $0 != 0 }
      let type = Int(bytes[base + 2]), subtype = Int(bytes[base + 3])
      entries.append(PartitionEntry(
        name: String(decoding: labelBytes, as: UTF8.self), type: Self.typeName(type),
        subtype: Self.subtypeName(type: type, subtype: subtype), offset: word(4), size: word(8),
        flags: word(28) & 1 == 1 ? "encrypted" : "", line: row + 1))
      row += 1
    }
    self.init(entries: entries)
  }

  public init(entries: [PartitionEntry]) {
    self.entries = entries
  }

  static func typeName(_ type: Int) -> String {
    switch type {
    case 0: "app"
    case 1: "data"
    default: "0x" + hex2(UInt8(truncatingIfNeeded: type))
    }
  }

  /// ESP-IDF's subtype names (gen_esp32part SUBTYPES); unknown ones stay numeric.
  static func subtypeName(type: Int, subtype: Int) -> String {
    if type == 0 {
      if subtype == 0 { return "factory" }
      if (0x10..<0x20).contains(subtype) { return "ota_\(subtype - 0x10)" }
      if subtype == 0x20 { return "test" }
    } else if type == 1 {
      let names: [Int: String] = [0: "ota", 1: "phy", 2: "nvs", 3: "coredump", 4: "nvs_keys", 5: "efuse",
                                  6: "undefined", 0x80: "esphttpd", 0x81: "fat", 0x82: "spiffs", 0x83: "littlefs"]
      if let name = names[subtype] { return name }
    }
    return "0x" + hex2(UInt8(truncatingIfNeeded: subtype))
  }

  /// The partition `SPIFFS.begin()` mounts: the row labelled `spiffs` when there is one, else the first data
  /// row of subtype spiffs (esp_spiffs_init with a NULL label, §0.3). Unlike the plugins' "last spiffs row",
  /// this never picks zigbee_zczr's rcp_fw or esp_sr_16's speech model.
  public var mountedSPIFFSPartition: PartitionEntry? {
    let spiffsRows = entries.filter { SPIFFSLayoutPresets.lowercase($0.type) == "data" && $0.isSPIFFSSubtype }
    return spiffsRows.first { $0.name == "spiffs" } ?? spiffsRows.first
  }

  /// The app partition an upload writes: `factory` when present, else the first OTA slot (arduino-esp32
  /// uploads to the first app partition; the bootloader boots factory, or ota_0 with a blank otadata).
  public var firstAppPartition: PartitionEntry? {
    let apps = entries.filter { SPIFFSLayoutPresets.lowercase($0.type) == "app" }
    return apps.first { $0.subtype == "factory" } ?? apps.first
  }

  /// One line per partition, for messages: `nvs data/nvs 0x9000+0x5000`.
  public var summary: String {
    entries.map { "\($0.name) \($0.type)/\($0.subtype) 0x\(String($0.offset, radix: 16, uppercase: true))"
      + "+0x\(String($0.size, radix: 16, uppercase: true))" }.joined(separator: ", ")
  }
}

extension PartitionEntry {
  /// Subtype spiffs by name or number (0x82).
  public var isSPIFFSSubtype: Bool {
    SPIFFSLayoutPresets.lowercase(subtype) == "spiffs" || PartitionTable.parseNumber(subtype) == 0x82
  }
}

private func hex2(_ byte: UInt8) -> String {
  let digits = Array("0123456789ABCDEF")
  return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
