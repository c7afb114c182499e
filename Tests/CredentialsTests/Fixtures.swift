import Foundation
import TestSupport

/// Fixture access relative to the repository (`TestSupport.Repository`).
enum Fixtures {
  static let credentials = Repository.testdata("credentials")

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
