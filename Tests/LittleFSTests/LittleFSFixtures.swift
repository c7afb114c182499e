import Crypto
import Foundation
import LittleFS
import TestSupport

/// The eight reference images of testdata/littlefs (see its MANIFEST.md) and their expected listings.
enum LittleFSFixtures {
  static let root = Repository.testdata("littlefs")

  static let images = [
    "esp8266_4M1M_basic", "esp8266_1M128_tiny", "esp8266_1M128_small_overflow", "esp8266_4M2M_deep",
    "esp32_default_deep", "esp32_minspiffs_tiny_legacy", "esp8266_1M128_livedin", "esp32_minspiffs_livedin",
  ]

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: root.appendingPathComponent("images/\(name).bin")))
  }

  /// One listing line: kind, size, content hash, path, attributes ("c=HEX t=HEX").
  struct Row: Equatable, CustomStringConvertible {
    var kind: String
    var size: String
    var sha256: String
    var path: String
    var attributes: String
    var description: String { "\(kind) \(size) \(sha256) \(path) [\(attributes)]" }
  }

  static func expected(_ name: String) throws -> (rows: [Row], mounted: [String: String]) {
    let text = try String(contentsOf: root.appendingPathComponent("expected/\(name).listing.txt"), encoding: .utf8)
    var rows: [Row] = []
    var mounted: [String: String] = [:]
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
      if line.hasPrefix("# mounted:") {
        for pair in line.dropFirst("# mounted:".count).split(separator: " ") {
          let kv = pair.split(separator: "=", maxSplits: 1)
          if kv.count == 2 { mounted[String(kv[0])] = String(kv[1]) }
        }
        continue
      }
      if line.hasPrefix("#") { continue }
      var tokens = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      let kind = tokens.removeFirst(), size = tokens.removeFirst(), sha = tokens.removeFirst()
      var attrs: [String] = []
      while let last = tokens.last, last.hasPrefix("c=") || last.hasPrefix("t=") { attrs.insert(tokens.removeLast(), at: 0) }
      rows.append(Row(kind: kind, size: size, sha256: sha, path: tokens.joined(separator: " "),
                      attributes: attrs.joined(separator: " ")))
    }
    return (rows, mounted)
  }

  static func rows(_ image: LittleFSImage) throws -> [Row] {
    try image.list().map { entry in
      let attrs = [UInt8(ascii: "c"), UInt8(ascii: "t")].compactMap { key in
        entry.attributes[key].map { "\(Character(UnicodeScalar(key)))=\(hex($0))" }
      }.joined(separator: " ")
      switch entry.kind {
      case .root: return Row(kind: "root", size: "-", sha256: "-", path: "/", attributes: attrs)
      case .directory: return Row(kind: "dir", size: "-", sha256: "-", path: entry.path, attributes: attrs)
      case .file:
        let content = try image.contents(of: entry)
        return Row(kind: "file", size: "\(entry.size)", sha256: sha256(content), path: entry.path, attributes: attrs)
      }
    }
  }

  static func sha256(_ bytes: [UInt8]) -> String { hex(Array(SHA256.hash(data: bytes))) }
  static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
