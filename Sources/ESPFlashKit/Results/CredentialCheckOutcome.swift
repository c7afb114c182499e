import Credentials
import Foundation

/// The credential check of an image's files, for reports and `--json`.
public struct CredentialCheckOutcome: Codable, Sendable {
  public var target: TargetPlatform
  public var endpoint: String?
  /// The moment checked against (ISO 8601), e.g. `2026-12-01T22:41:10Z`.
  public var checkedAt: String
  /// The credential files as stored, relative to the data folder.
  public var files: [String]
  public var errors: Int
  public var warnings: Int
  public var findings: [Finding]

  public init(target: TargetPlatform, endpoint: String?, at: Date, files: [String], findings: [Finding]) {
    self.target = target
    self.endpoint = endpoint
    checkedAt = ISO8601DateFormatter().string(from: at)
    self.files = files
    self.findings = findings
    errors = findings.filter { $0.severity == .error }.count
    warnings = findings.filter { $0.severity == .warning }.count
  }
}
