/// One row of an ESP32 `partitions.csv`.
public struct PartitionEntry: Hashable, Sendable {
  public var name: String
  public var type: String
  public var subtype: String
  public var offset: Int
  public var size: Int
  public var flags: String
  /// 1-based line in the CSV text.
  public var line: Int

  /// A SPIFFS partition: type data with subtype spiffs (0x82), or any row whose name mentions spiffs (what
  /// the ESP32FS plugin matches on, §5.4).
  public var isSPIFFS: Bool {
    let sub = SPIFFSLayoutPresets.lowercase(subtype)
    let isData = SPIFFSLayoutPresets.lowercase(type) == "data" || PartitionTable.parseNumber(type) == 1
    if isData, sub == "spiffs" || PartitionTable.parseNumber(subtype) == 0x82 { return true }
    return SPIFFSLayoutPresets.lowercase(name).contains("spiffs")
  }
}

/// Why a partition table could not be used.
public struct PartitionTableError: Error, Hashable, Sendable, CustomStringConvertible {
  /// 1-based line, or nil for the table as a whole.
  public var line: Int?
  public var reason: String
  public init(line: Int?, reason: String) {
    self.line = line
    self.reason = reason
  }
  public var description: String {
    "partition table" + (line.map { " line \($0)" } ?? "") + ": " + reason
  }
}

/// An ESP32 partition table in the CSV form ESP-IDF's `gen_esp32part.py` reads.
///
/// Blank offsets are filled in like gen_esp32part: a partition follows the previous one, rounded up to
/// 0x10000 for app partitions and 0x1000 otherwise; the first one follows the table (0x8000 + 0x1000).
public struct PartitionTable: Hashable, Sendable {
  public var entries: [PartitionEntry]

  public init(csv text: String, tableOffset: Int = 0x8000) throws(PartitionTableError) {
    var entries: [PartitionEntry] = []
    var lastEnd = tableOffset + 0x1000
    var lineNumber = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      let line = String(rawLine).trimmingWhitespace()
      if line.isEmpty || line.hasPrefix("#") { continue }
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
      guard fields.count >= 5 else {
        throw PartitionTableError(line: lineNumber, reason: "expected name, type, subtype, offset, size[, flags]; got \(fields.count) field(s)")
      }
      let (name, type, subtype) = (fields[0], fields[1], fields[2])
      guard !name.isEmpty, !type.isEmpty else {
        throw PartitionTableError(line: lineNumber, reason: "name and type must not be empty")
      }
      guard let size = Self.parseNumber(fields[4]), size > 0 else {
        throw PartitionTableError(line: lineNumber, reason: "size '\(fields[4])' is not a positive number (hex, decimal, K or M)")
      }
      let offset: Int
      if fields[3].isEmpty {
        let isApp = SPIFFSLayoutPresets.lowercase(type) == "app" || Self.parseNumber(type) == 0
        let alignment = isApp ? 0x10000 : 0x1000
        offset = (lastEnd + alignment - 1) / alignment * alignment
      } else {
        guard let value = Self.parseNumber(fields[3]) else {
          throw PartitionTableError(line: lineNumber, reason: "offset '\(fields[3])' is not a number")
        }
        offset = value
      }
      let (end, overflow) = offset.addingReportingOverflow(size)
      guard !overflow, end <= 0x1_0000_0000 else {
        throw PartitionTableError(line: lineNumber, reason: "partition ends beyond 4 GiB")
      }
      lastEnd = end
      entries.append(PartitionEntry(name: name, type: type, subtype: subtype, offset: offset, size: size,
                                    flags: fields.count > 5 ? fields[5] : "", line: lineNumber))
    }
    self.entries = entries
  }

  /// The SPIFFS partition; when several qualify the last one wins, as in the ESP32FS plugin.
  public var spiffsPartition: PartitionEntry? { entries.last(where: \.isSPIFFS) }

  /// A preset for the SPIFFS partition (page 256, block 4096, §5.4/§5.5).
  public func spiffsPreset(platform: SPIFFSLayout.Platform = .esp32, name: String = "partitions.csv")
    throws(PartitionTableError) -> SPIFFSLayoutPreset
  {
    guard let partition = spiffsPartition else {
      throw PartitionTableError(line: nil, reason: "no spiffs partition (type data, subtype spiffs) among \(entries.count) row(s)")
    }
    return SPIFFSLayoutPreset(
      name: name, platform: platform, flashSize: nil, flashOffset: partition.offset, imageSize: partition.size,
      blockSize: 4096, notes: "partition '\(partition.name)' at line \(partition.line)")
  }

  /// gen_esp32part's integers: `0x…` hex, decimal, or a K/M suffix (×1024, ×1024²).
  public static func parseNumber(_ text: String) -> Int? {
    var body = Substring(SPIFFSLayoutPresets.lowercase(text.trimmingWhitespace()))
    var multiplier = 1
    if body.hasSuffix("k") { multiplier = 1024; body = body.dropLast() }
    else if body.hasSuffix("m") { multiplier = 1024 * 1024; body = body.dropLast() }
    let value: Int?
    if body.hasPrefix("0x") { value = Int(body.dropFirst(2), radix: 16) }
    else { value = body.allSatisfy { $0.isASCII && $0.isNumber } ? Int(body) : nil }
    guard let value, value >= 0 else { return nil }
    let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
    return overflow ? nil : product
  }
}
