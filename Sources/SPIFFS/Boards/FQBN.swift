/// A fully qualified board name, `vendor:architecture:board[:key=value,…]` (arduino-integration.md §1.4, §2.1).
public struct FQBN: Hashable, Sendable, CustomStringConvertible {
  public var vendor: String
  public var architecture: String
  public var board: String
  /// Menu options in the order given.
  public var options: [(key: String, value: String)]

  public init(_ text: String) throws(BoardError) {
    let parts = text.trimmingWhitespace().split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
    guard parts.count >= 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else {
      throw .malformedFQBN(text, reason: "expected vendor:architecture:board[:option=value,…]")
    }
    vendor = parts[0]
    architecture = parts[1]
    board = parts[2]
    options = []
    if parts.count == 4 {
      for pair in parts[3].split(separator: ",") {
        let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
          throw .malformedFQBN(text, reason: "option '\(pair)' is not key=value")
        }
        options.append((kv[0], kv[1]))
      }
    }
  }

  /// The value of a menu option; keys compare without case, as boards.txt keys are ASCII identifiers.
  public func option(_ key: String) -> String? {
    let wanted = SPIFFSLayoutPresets.lowercase(key)
    return options.last { SPIFFSLayoutPresets.lowercase($0.key) == wanted }?.value
  }

  public var description: String {
    "\(vendor):\(architecture):\(board)" + (options.isEmpty ? "" : ":" + options.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
  }

  public static func == (lhs: FQBN, rhs: FQBN) -> Bool { lhs.description == rhs.description }
  public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

/// Why a board name could not be turned into a layout.
public enum BoardError: Error, Equatable, Sendable, CustomStringConvertible {
  case malformedFQBN(String, reason: String)
  /// Not an ESP8266 or ESP32 core (`arduino:avr:uno`, or Arduino's own `arduino:esp32` with other scheme names).
  case unsupportedCore(String)
  /// The board is not in the built-in table and the FQBN does not name the menu option.
  case unknownBoard(board: String, menuKey: String, example: String)
  /// A menu value this table does not know.
  case unknownOption(key: String, value: String, suggestions: [String])
  /// The selected option has no file system partition.
  case noFileSystem(key: String, value: String, alternatives: [String])
  /// A FAT partition only.
  case fatOnly(scheme: String)
  /// `PartitionScheme=custom` without a sketch partitions.csv.
  case customNeedsCSV
  /// ESP8266 `eesz=autoflash`: the sketch picks the map at boot.
  case autoflash

  public var description: String {
    switch self {
    case .malformedFQBN(let text, let reason): "'\(text)' is not an FQBN: \(reason)"
    case .unsupportedCore(let core): "\(core) is not the ESP8266 (esp8266:esp8266) or ESP32 (esp32:esp32) Arduino core"
    case .unknownBoard(let board, let key, _): "board '\(board)' is not in the built-in board list, so its default \(key) is unknown"
    case .unknownOption(let key, let value, _): "\(key)=\(value) is not a known menu option"
    case .noFileSystem(let key, let value, _): "\(key)=\(value) has no file system partition"
    case .fatOnly(let scheme): "PartitionScheme=\(scheme) has a FAT partition, not SPIFFS"
    case .customNeedsCSV: "PartitionScheme=custom takes the partition table from the sketch's partitions.csv"
    case .autoflash: "eesz=autoflash lets the sketch choose the flash map at boot"
    }
  }

  /// What to pass instead.
  public var remedy: String {
    switch self {
    case .malformedFQBN: "e.g. --fqbn esp8266:esp8266:nodemcuv2:eesz=4M2M or esp32:esp32:esp32:PartitionScheme=default"
    case .unsupportedCore: "pass --layout or --partitions instead"
    case .unknownBoard(_, let key, let example): "name the menu option in the FQBN, e.g. \(example) (its `\(key)` value in the Tools menu)"
    case .unknownOption(_, _, let suggestions):
      suggestions.isEmpty ? "`espflash-swift fs layouts` lists the layouts" : "did you mean \(suggestions.prefix(5).joined(separator: ", "))?"
    case .noFileSystem(let key, _, let alternatives):
      "pick another \(key) option, one with a file system" + (alternatives.isEmpty ? "" : ", e.g. " + alternatives.prefix(4).joined(separator: ", "))
    case .fatOnly: "this tool writes SPIFFS; pick a scheme with spiffs, e.g. PartitionScheme=default"
    case .customNeedsCSV: "put partitions.csv in the sketch folder or pass --partitions CSV"
    case .autoflash: "pass the map the sketch uses: 4M2M (FLASH_MAP_OTA_FS) or 4M3M (FLASH_MAP_MAX_FS) with --layout"
    }
  }
}
