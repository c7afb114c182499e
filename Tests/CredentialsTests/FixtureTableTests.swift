import Foundation
import Testing
@testable import Credentials

/// Every (set, target) row of testdata/credentials/expectations.tsv: no unlisted error or warning (a false
/// alarm) and no listed finding missing (a miss). With CREDENTIAL_TABLE=path set, also writes the
/// case/target/expected/got table as Markdown to that path (for the closing note).
@Suite struct FixtureTableTests {
  struct Row: CustomTestStringConvertible, Sendable {
    let set: String
    let target: TargetPlatform
    let endpoint: String?
    let expected: Set<String>
    let why: String
    var testDescription: String { "\(set) on \(target.rawValue)" }
  }

  static func rows() throws -> [Row] {
    let text = String(decoding: try Fixtures.bytes("expectations.tsv"), as: UTF8.self)
    return try text.split(separator: "\n").dropFirst().compactMap { line -> Row? in
      guard !line.hasPrefix("#"), !line.hasPrefix("set\t") else { return nil }
      let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard cols.count == 5, let target = TargetPlatform(rawValue: cols[1]) else {
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSDebugDescriptionErrorKey: "bad row: \(line)"])
      }
      let endpoint = cols[2] == "-" ? nil : cols[2] == "ats" ? Fixtures.atsEndpoint : cols[2]
      let expected = cols[3] == "-" ? [] : Set(cols[3].split(separator: ";").map(String.init))
      return Row(set: cols[0], target: target, endpoint: endpoint, expected: expected, why: cols[4])
    }
  }

  static func got(_ row: Row) throws -> Set<String> {
    let findings = CredentialChecker.check(files: try Fixtures.set(row.set),
                                           options: CheckOptions(target: row.target, endpoint: row.endpoint, at: Fixtures.checkDate))
    return Set(findings.filter { $0.severity != .info }.map { "\($0.severity.rawValue):\($0.check.rawValue)@\($0.file ?? "-")" })
  }

  @Test(arguments: try rows())
  func rowHasNoFalseAlarmAndNoMiss(_ row: Row) throws {
    let got = try Self.got(row)
    let misses = row.expected.subtracting(got).sorted()
    let falseAlarms = got.subtracting(row.expected).sorted()
    #expect(misses.isEmpty, "missed: \(misses)")
    #expect(falseAlarms.isEmpty, "false alarms: \(falseAlarms)")
  }

  @Test func everySetAndTargetIsCovered() throws {
    let rows = try Self.rows()
    #expect(rows.count >= 150)
    let cases = Set(rows.map(\.set).filter { $0.hasPrefix("cases/") })
    let folders = try FileManager.default.contentsOfDirectory(atPath: Fixtures.credentials.appendingPathComponent("cases").path)
    #expect(cases == Set(folders.map { "cases/" + $0 }), "every folder under cases/ has rows")
    for set in cases {
      #expect(Set(rows.filter { $0.set == set }.map(\.target)) == Set(TargetPlatform.allCases), "\(set) has a row per target")
    }
    if let path = ProcessInfo.processInfo.environment["CREDENTIAL_TABLE"] {
      var table = "| case | target | expected | got |\n|---|---|---|---|\n"
      for row in rows {
        let got = try Self.got(row)
        let show = { (s: Set<String>) in s.isEmpty ? "—" : s.sorted().joined(separator: "<br>") }
        table += "| \(row.set) | \(row.target.rawValue) | \(show(row.expected)) | \(got == row.expected ? "same" : show(got)) |\n"
      }
      try table.write(toFile: path, atomically: true, encoding: .utf8)
    }
  }
}
