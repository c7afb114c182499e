import LittleFS
import SPIFFS

/// Which file system a partition's bytes hold (littlefs-format.md §8.3).
public enum FileSystemKind: String, Codable, Sendable {
  case spiffs
  case littlefs
  case fat
  /// All 0xFF: erased, nothing written yet (a board formats it at begin()).
  case erased
  case unknown

  public var displayName: String {
    switch self {
    case .spiffs: "SPIFFS"
    case .littlefs: "LittleFS"
    case .fat: "FAT"
    case .erased: "erased flash (no file system)"
    case .unknown: "no known file system"
    }
  }
}

public enum FileSystemDetector {
  /// LittleFS by its superblock (magic plus a valid commit naming the block size); FAT by a boot sector at a
  /// 4 KiB sector start (wear levelling rotates sectors); SPIFFS by its block magic or lookup pages.
  public static func detect(_ bytes: [UInt8]) -> FileSystemKind {
    if LittleFSImage.detectBlockSize(bytes) != nil { return .littlefs }
    if bytes.allSatisfy({ $0 == 0xFF }) { return .erased }
    if isFAT(bytes) { return .fat }
    if (try? SPIFFSLayoutDetector.detect(bytes)) != nil { return .spiffs }
    return .unknown
  }

  public static func isFAT(_ bytes: [UInt8]) -> Bool {
    var sector = 0
    while sector + 512 <= bytes.count, sector < 64 * 4096 {
      if bytes[sector + 510] == 0x55, bytes[sector + 511] == 0xAA {
        let label36 = String(decoding: bytes[sector + 0x36..<sector + 0x3B], as: UTF8.self)
        let label52 = String(decoding: bytes[sector + 0x52..<sector + 0x57], as: UTF8.self)
        if label36.hasPrefix("FAT") || label52.hasPrefix("FAT") { return true }
      }
      sector += 4096
    }
    return false
  }
}

/// The bytes hold a file system this command cannot read (FAT), or none.
public struct UnsupportedFileSystem: Error, Sendable, CustomStringConvertible {
  public var found: FileSystemKind
  public init(found: FileSystemKind) { self.found = found }
  public var description: String {
    found == .fat ? "the image holds a FAT file system (ESP32 FFat): not supported yet"
      : "the image holds \(found.displayName)"
  }
}
