/// A mklittlefs build as a platform ships it: which littlefs writes the image and which timestamps it stores
/// (littlefs-format.md §2, §5.2, §7.2, §7.4; testdata/littlefs/MANIFEST.md "Tools used").
public struct LittleFSToolProfile: Hashable, Sendable, CustomStringConvertible {
  public enum Name: String, Sendable, CaseIterable {
    /// mklittlefs 30b7fc1 (ESP8266 core 3.1.x package; core master 4aca452 writes the same bytes).
    case esp8266
    /// mklittlefs 4.0.2 (arduino-esp32 later 3.3.x package).
    case esp32
    /// mklittlefs c41e51a (arduino-esp32 2.0.x … 3.3.0 package).
    case esp32Legacy = "esp32-legacy"
  }

  public var name: Name
  /// littlefs inside the tool.
  public var littlefsVersion: String
  public var diskVersion: UInt32
  public var nameMax: Int
  /// Bytes of each file and directory 't'/'c' attribute.
  public var timeWidth: Int
  /// Directories (and the root, per file) get the packed file's mtime (from mklittlefs 3.0.0).
  public var directoryTimes: Bool
  /// The root gets the build time as 8-byte 't' and 'c' at the end (from mklittlefs e38e3d6).
  public var rootBuildTime: Bool
  /// c41e51a copies the whole path into a 33-byte buffer: longer paths abort the real tool (§5.3).
  public var maxPathBytes: Int?

  public static let esp8266 = LittleFSToolProfile(name: .esp8266, littlefsVersion: "2.4.1", diskVersion: 0x0002_0000,
                                                  nameMax: 32, timeWidth: 4, directoryTimes: true, rootBuildTime: true)
  public static let esp32 = LittleFSToolProfile(name: .esp32, littlefsVersion: "2.9.3", diskVersion: 0x0002_0001,
                                                nameMax: 255, timeWidth: 8, directoryTimes: true, rootBuildTime: true)
  public static let esp32Legacy = LittleFSToolProfile(name: .esp32Legacy, littlefsVersion: "2.0.5",
                                                      diskVersion: 0x0002_0000, nameMax: 32, timeWidth: 4,
                                                      directoryTimes: false, rootBuildTime: false, maxPathBytes: 32)
  public static let all = [esp8266, esp32, esp32Legacy]

  public static func named(_ text: String) -> LittleFSToolProfile? {
    all.first { $0.name.rawValue == text.lowercased() }
  }

  public var description: String {
    "mklittlefs-\(name.rawValue) (littlefs \(littlefsVersion), disk \(diskVersion >> 16).\(diskVersion & 0xFFFF), name_max \(nameMax))"
  }

  /// Every mklittlefs configuration: read/prog/cache/lookahead 64, block_cycles 16, 0x00 erase fill (§5.2).
  func engineConfig(blockSize: Int, blockCount: Int) -> LFSEngineConfig {
    LFSEngineConfig(blockSize: blockSize, blockCount: blockCount, progSize: 64, lookaheadBytes: 64, blockCycles: 16,
                    nameMax: nameMax, inlineMax: min(64, blockSize / 8), eraseFill: 0x00,
                    diskVersion: diskVersion, littlefs29: name == .esp32, seedByXOR: name == .esp32Legacy)
  }
}

/// The device a default-format image is made for: it mounts there and the device keeps writing to it
/// without a reformat (littlefs-format.md §7.1, §7.3, §7.5, §7.6).
public enum LittleFSTarget: String, Sendable, CaseIterable {
  /// ESP8266 core (littlefs 2.2 … 2.5): disk 2.0, name_max 32, read/prog 64, 8-byte 't' and 'c'.
  case esp8266
  /// arduino-esp32 (esp_littlefs): disk 2.0 (every version mounts it), name_max 255, read/prog 128, 't'.
  case esp32
  /// ESP-IDF esp_littlefs defaults: as esp32 with name_max 64 (CONFIG_LITTLEFS_OBJ_NAME_LEN).
  case espIDF = "esp-idf"

  public var nameMax: Int { self == .esp8266 ? 32 : (self == .esp32 ? 255 : 64) }
  var progSize: Int { self == .esp8266 ? 64 : 128 }
  /// The attributes a device writes for a file: ESP8266 'c' on create and 't' on close; esp_littlefs 't'.
  var fileTimeTypes: [UInt8] { self == .esp8266 ? [UInt8(ascii: "t"), UInt8(ascii: "c")] : [UInt8(ascii: "t")] }

  func engineConfig(blockSize: Int, blockCount: Int, nameMax: Int) -> LFSEngineConfig {
    // block_cycles off: a fresh image needs no wear levelling, and no pair is relocated while building.
    LFSEngineConfig(blockSize: blockSize, blockCount: blockCount, progSize: progSize, lookaheadBytes: 64,
                    blockCycles: 0, nameMax: nameMax, inlineMax: min(progSize, blockSize / 8), eraseFill: 0xFF,
                    diskVersion: 0x0002_0000, littlefs29: false)
  }
}
