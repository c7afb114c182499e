import ArgumentParser
import Credentials
import ESPFlashKit
import Foundation

/// `certs check`: the offline checks of users-and-credentials.md §3.5 on files or data folders.
struct CertsCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check certificates and keys for a board before they are flashed.",
    discussion: """
      Give the data folder (or single files) that go onto the board, and optionally the sketch (.ino) for \
      the API lint. Exit status: 0 no errors, 65 at least one error finding, 66 a path does not exist. \
      Private key material is never printed.
      """
  )

  @Argument(help: "Folders, credential files and .ino sketches.")
  var paths: [String]

  @Option(help: "TLS stack on the board: \(TargetPlatform.allCases.map(\.rawValue).joined(separator: ", ")).")
  var target: TargetPlatform = .esp8266BearSSL

  @Option(help: "Server host, e.g. xxxx-ats.iot.us-east-1.amazonaws.com (decides the right root CA).")
  var endpoint: String?

  @Option(help: "Check validity at this date (YYYY-MM-DD or ISO 8601) instead of now.")
  var at: String?

  @Option(help: "Warn when a certificate expires within this many days.")
  var warnDays: Int = 30

  @Flag(help: "Machine-readable output.")
  var json = false

  @Flag(name: [.short, .long], help: "Hide info findings in text output.")
  var quiet = false

  func run() throws {
    let moment = try at.map(CertsCheckCommand.parseDate) ?? Date()
    let collected = try CredentialInputs.collect(paths)
    let options = CheckOptions(target: target, endpoint: endpoint, at: moment, expiryWarningDays: warnDays,
                               sketches: collected.sketches)
    let findings = CredentialChecker.check(files: collected.files.map { ($0.name, $0.bytes) }, options: options)
    let report = CheckReport(findings: findings, files: collected.files, options: options)
    Console.write(json ? try report.json() : report.text(showInfo: !quiet))
    if findings.contains(where: { $0.severity == .error }) { throw ExitCode(ExitStatus.dataError.rawValue) }
  }

  static func parseDate(_ text: String) throws -> Date {
    let full = ISO8601DateFormatter()
    if let date = full.date(from: text) { return date }
    let day = ISO8601DateFormatter()
    day.formatOptions = [.withFullDate]
    if let date = day.date(from: text) { return date }
    throw CLIError("--at \(text): not a date", hint: "use YYYY-MM-DD or 2030-06-01T12:00:00Z", status: .usage)
  }
}

extension TargetPlatform: ExpressibleByArgument {}
