import Foundation

/// Fixture access relative to the repository (three levels above this file).
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let credentials = root.appendingPathComponent("testdata/credentials")

  static func bytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: credentials.appendingPathComponent(relative)))
  }

  /// Every file of a set, named relative to the set folder, sorted.
  static func set(_ name: String) throws -> [(path: String, bytes: [UInt8])] {
    let folder = credentials.appendingPathComponent(name)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
    return try names.map { ($0, [UInt8](try Data(contentsOf: folder.appendingPathComponent($0)))) }
  }

  static func date(_ text: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withFullDate]
    return f.date(from: text)!
  }

  static let atsEndpoint = "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com"
  /// A date inside every "good" certificate's validity (2020-01-01 .. 2099-12-31) and the real roots' (≤ 2036).
  static let checkDate = date("2030-06-01")

  /// SHA-256 of a PEM certificate's DER, computed with Foundation's base64 (independent of the library's parser).
  static func pemBody(_ text: String) -> Data? {
    let body = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
    return Data(base64Encoded: body)
  }
}

/// Deterministic generator for property and fuzz tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
