import Foundation
import Testing
import TestSupport

/// Every fix that names an espflash-swift command must work on the file it is printed for (issue 11 §3): for
/// each row of testdata/credentials/expectations.tsv, `certs check --json` runs on a copy of the set, each
/// `espflash-swift …` fix is run there, and the check must then no longer report that finding on that file
/// (it passes, or moves on to the next finding). When the fix writes a new file, the old one is removed, as
/// the fix says ("ship X instead").
@Suite struct CertsFixCommandTests {
  static let credentials = Repository.testdata("credentials")

  struct Row: CustomTestStringConvertible, Sendable {
    let set: String, target: String, endpoint: String?
    var testDescription: String { "\(set) on \(target)" }
  }

  static func rows() throws -> [Row] {
    let text = try String(contentsOf: credentials.appendingPathComponent("expectations.tsv"), encoding: .utf8)
    return text.split(separator: "\n").dropFirst().compactMap { line in
      let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard !line.hasPrefix("#"), !line.hasPrefix("set\t"), cols.count == 5, cols[3] != "-" else { return nil }
      return Row(set: cols[0], target: cols[1],
                 endpoint: cols[2] == "-" ? nil : cols[2] == "ats" ? "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com" : cols[2])
    }
  }

  struct Finding: Hashable { let check: String; let file: String; let fix: String? }

  func check(_ dir: URL, _ row: Row) throws -> [Finding] {
    var args = ["certs", "check", ".", "--json", "--target", row.target, "--at", "2030-06-01"]
    if let endpoint = row.endpoint { args += ["--endpoint", endpoint] }
    let run = try ProcessRun.run(BuiltCLI.binary, args, directory: dir)
    let object = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any], "\(run.stderrText)")
    let findings = try #require(object["findings"] as? [[String: Any]])
    return findings.filter { $0["severity"] as? String != "info" }.map {
      Finding(check: $0["check"] as? String ?? "", file: $0["file"] as? String ?? "-", fix: $0["fix"] as? String)
    }
  }

  /// `espflash-swift certs convert a --to pem -o b` → ["certs", "convert", "a", …] (fix paths are plain words).
  static func commands(in fix: String) -> [[String]] {
    fix.split(separator: "`").map(String.init).filter { $0.hasPrefix("espflash-swift ") }.map {
      Array($0.split(separator: " ").dropFirst().map(String.init))
    }
  }

  @Test(arguments: try rows())
  func fixCommandsSucceedAndClearTheFinding(_ row: Row) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("certs-fix-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: Self.credentials.appendingPathComponent(row.set), to: dir)
    defer { try? FileManager.default.removeItem(at: dir) }
    var replaced = Set<String>()
    for finding in try check(dir, row) where !replaced.contains(finding.file) {
      for args in Self.commands(in: finding.fix ?? "") {
        let run = try ProcessRun.run(BuiltCLI.binary, args, directory: dir)
        #expect(run.status == 0, "\(finding.check)@\(finding.file): `\(args.joined(separator: " "))` exited \(run.status): \(run.stderrText)")
        if let o = args.firstIndex(of: "-o"), o + 1 < args.count, args[o + 1] != finding.file {
          try FileManager.default.removeItem(at: dir.appendingPathComponent(finding.file))
          replaced.insert(finding.file)  // its other findings went with it
        }
        let after = try check(dir, row)
        #expect(!after.contains { $0.check == finding.check && $0.file == finding.file }, "\(finding.check)@\(finding.file) still reported after the fix")
      }
    }
  }

  @Test func everyKindOfFixCommandIsExercised() throws {
    // The rows above must actually contain command fixes of each kind, or the test proves nothing.
    var kinds = Set<String>()
    for row in try Self.rows() {
      let dir = Self.credentials.appendingPathComponent(row.set)
      for finding in try check(dir, row) where !Self.commands(in: finding.fix ?? "").isEmpty { kinds.insert(finding.check) }
    }
    for expected in ["format.bom", "format.literal-newlines", "format.pem-indented", "format.trailing-data", "format.der-multiple-certs",
                     "format.der-on-esp32-arduino", "format.pem-on-axtls", "format.pkcs8-on-axtls", "format.key-label"] {
      #expect(kinds.contains(expected), "no row exercises the fix of \(expected)")
    }
  }

  @Test func convertExplainsPKCS12AndConvertsATwoCertificateDER() throws {
    let pfx = try ProcessRun.run(BuiltCLI.binary, ["certs", "convert", "cases/pkcs12/device.pfx", "--to", "pem", "-o", "-"], directory: Self.credentials)
    #expect(pfx.status == 65)
    #expect(pfx.stderrText.contains("PKCS#12") && pfx.stderrText.contains("openssl pkcs12 -in device.pfx"), "\(pfx.stderrText)")
    let two = try ProcessRun.run(BuiltCLI.binary, ["certs", "convert", "two-certs-der/cert.der", "--to", "pem", "-o", "-"], directory: Self.credentials)
    #expect(two.status == 0, "\(two.stderrText)")
    #expect(two.stdoutText.components(separatedBy: "-----BEGIN CERTIFICATE-----").count == 3)
  }
}
