import Crypto
import Foundation
import SPIFFS
import TestSupport

/// The eight reference images and their expected listings (testdata/spiffs, see its MANIFEST.md).
enum ReaderFixtures {
  static let root = Repository.testdata("spiffs")

  struct Image: Sendable, CustomStringConvertible {
    var name: String
    var platform: SPIFFSLayout.Platform
    var size: Int
    var block: Int
    /// Built by mkspiffs from this input folder (content must equal the folder's files).
    var input: String?
    var layout: SPIFFSLayout { SPIFFSLayout(platform: platform, imageSize: size, blockSize: block) }
    var description: String { name }
  }

  static let images: [Image] = [
    Image(name: "esp8266_4M1M_basic", platform: .esp8266, size: 1_024_000, block: 8192, input: "basic"),
    Image(name: "esp8266_1M128_small", platform: .esp8266, size: 131_072, block: 4096, input: "small"),
    Image(name: "esp32_default_basic", platform: .esp32, size: 1_441_792, block: 4096, input: "basic"),
    Image(name: "esp8266_1M128_gcfill", platform: .esp8266, size: 131_072, block: 4096, input: "gcfill"),
    Image(name: "esp8266_1M128_basic_overflow", platform: .esp8266, size: 131_072, block: 4096, input: nil),
    Image(name: "esp8266_4M1M_livedin", platform: .esp8266, size: 1_024_000, block: 8192, input: nil),
    Image(name: "esp8266_1M128_livedin", platform: .esp8266, size: 131_072, block: 4096, input: nil),
    Image(name: "esp32_default_livedin", platform: .esp32, size: 1_441_792, block: 4096, input: nil),
  ]

  static func bytes(_ image: Image) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: root.appendingPathComponent("images/\(image.name).bin")))
  }

  struct Row: Equatable, CustomStringConvertible {
    var id: UInt16
    var headerPage: Int
    var size: Int
    var sha256: String
    var name: [UInt8]
    var description: String { "\(SPIFFSName.hexID(id)) \(headerPage) \(size) \(sha256.prefix(12)) \(String(decoding: name, as: UTF8.self))" }
  }

  struct Listing {
    var rows: [Row]
    /// `key=value` pairs of the `# variant=…` line (mount statistics from the real SPIFFS).
    var stats: [String: String]
  }

  static func listing(_ image: Image) throws -> Listing {
    let url = root.appendingPathComponent("expected/\(image.name).listing.txt")
    let data = try Data(contentsOf: url)
    var rows: [Row] = []
    var stats: [String: String] = [:]
    for line in data.split(separator: UInt8(ascii: "\n")) {
      if line.first == UInt8(ascii: "#") {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("# variant=") {
          for pair in text.dropFirst(2).split(separator: " ") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { stats[String(kv[0])] = String(kv[1]) }
          }
        }
        continue
      }
      let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 4, omittingEmptySubsequences: false)
      guard fields.count == 5 else { continue }
      let text = { (i: Int) in String(decoding: fields[i], as: UTF8.self) }
      rows.append(Row(id: UInt16(text(0).dropFirst(2), radix: 16) ?? 0, headerPage: Int(text(1)) ?? -1,
                      size: Int(text(2)) ?? -1, sha256: text(3), name: Array(fields[4])))
    }
    return Listing(rows: rows, stats: stats)
  }

  static func sha256(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
  }
}
