/// The binary form of a CSV table, as gen_esp32part writes it (without its MD5 row, which ESP-IDF treats as
/// optional): what arduino-esp32 flashes at 0x8000 as `<sketch>.ino.partitions.bin`. Used to give the virtual
/// board a partition table and by tests.
extension PartitionTable {
  public func binary() throws(PartitionTableError) -> [UInt8] {
    var out: [UInt8] = []
    for entry in entries {
      guard let type = Self.typeCode(entry.type) else {
        throw PartitionTableError(line: entry.line, reason: "unknown type '\(entry.type)'")
      }
      guard let subtype = Self.subtypeCode(type: type, entry.subtype) else {
        throw PartitionTableError(line: entry.line, reason: "unknown subtype '\(entry.subtype)'")
      }
      let label = Array(entry.name.utf8.prefix(16))
      out += [0xAA, 0x50, UInt8(type), UInt8(subtype)]
      out += Self.le32(entry.offset) + Self.le32(entry.size)
      out += label + [UInt8](repeating: 0, count: 16 - label.count)
      out += Self.le32(entry.flags.contains("encrypted") ? 1 : 0)
    }
    out += [UInt8](repeating: 0xFF, count: 32)
    return out
  }

  static func typeCode(_ text: String) -> Int? {
    switch SPIFFSLayoutPresets.lowercase(text) {
    case "app": 0
    case "data": 1
    default: parseNumber(text)
    }
  }

  static func subtypeCode(type: Int, _ text: String) -> Int? {
    let lower = SPIFFSLayoutPresets.lowercase(text)
    if type == 0 {
      if lower == "factory" { return 0 }
      if lower == "test" { return 0x20 }
      if lower.hasPrefix("ota_"), let n = Int(lower.dropFirst(4)), (0..<16).contains(n) { return 0x10 + n }
    } else if type == 1 {
      let codes: [String: Int] = ["ota": 0, "phy": 1, "nvs": 2, "coredump": 3, "nvs_keys": 4, "efuse": 5,
                                  "undefined": 6, "esphttpd": 0x80, "fat": 0x81, "spiffs": 0x82, "littlefs": 0x83]
      if let code = codes[lower] { return code }
    }
    return parseNumber(text)
  }

  static func le32(_ value: Int) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }
}
