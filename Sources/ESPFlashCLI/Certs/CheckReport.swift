import Credentials
import ESPFlashKit
import Foundation

/// Renders findings as text grouped by file, or as JSON.
struct CheckReport {
  let findings: [Finding]
  let files: [CredentialInputs.File]
  let target: TargetPlatform
  let endpoint: String?
  /// ISO 8601.
  let checkedAt: String

  init(findings: [Finding], files: [CredentialInputs.File], options: CheckOptions) {
    self.findings = findings
    self.files = files
    target = options.target
    endpoint = options.endpoint
    checkedAt = ISO8601DateFormatter().string(from: options.at)
  }

  /// The check an image build made (`fs build`, `fs upload`, `fs provision`).
  init(_ outcome: CredentialCheckOutcome) {
    findings = outcome.findings
    files = []
    target = outcome.target
    endpoint = outcome.endpoint
    checkedAt = outcome.checkedAt
  }

  var errorCount: Int { findings.filter { $0.severity == .error }.count }
  var warningCount: Int { findings.filter { $0.severity == .warning }.count }

  func text(showInfo: Bool) -> String {
    var out = ""
    var groups: [(String, [Finding])] = []
    for finding in findings where showInfo || finding.severity != .info {
      let key = finding.file ?? "(whole set)"
      if let i = groups.firstIndex(where: { $0.0 == key }) { groups[i].1.append(finding) } else { groups.append((key, [finding])) }
    }
    for (file, items) in groups {
      out += "\(file)\n"
      for f in items {
        out += "  \(f.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) [\(f.check.rawValue)] \(f.message)\n"
        if f.severity != .info || showInfo {
          if let board = f.boardError, f.severity != .info { out += "          board: \(board)\n" }
          if let fix = f.fix, f.severity != .info { out += "          fix:   \(fix)\n" }
        }
      }
    }
    let infos = findings.count - errorCount - warningCount
    out += "\(errorCount) error(s), \(warningCount) warning(s), \(infos) info; target \(target.rawValue)"
    if let endpoint { out += ", endpoint \(endpoint)" }
    out += ", checked at \(checkedAt)\n"
    return out
  }

  struct JSONReport: Encodable {
    struct FileEntry: Encodable { let name: String; let path: String; let size: Int; let encoding: String; let contents: [String] }
    let target: String
    let endpoint: String?
    let at: String
    let errors: Int
    let warnings: Int
    let files: [FileEntry]
    let findings: [Finding]
  }

  func json() throws -> String {
    let entries = files.map { file -> JSONReport.FileEntry in
      let inspected = CredentialFile.inspect(path: file.name, bytes: file.bytes)
      return .init(name: file.name, path: file.displayPath, size: file.bytes.count, encoding: inspected.encoding.rawValue,
                   contents: inspected.objects.map(\.kindName))
    }
    let report = JSONReport(target: target.rawValue, endpoint: endpoint, at: checkedAt, errors: errorCount,
                            warnings: warningCount, files: entries, findings: findings)
    return String(decoding: try ResultJSON.encode(report), as: UTF8.self)
  }
}
