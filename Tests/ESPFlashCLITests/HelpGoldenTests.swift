import ArgumentParser
import Foundation
import Testing
import TestSupport
@testable import ESPFlashCLI

/// `--help` of the top commands against testdata/cli-help: a changed option, default or text shows up as a diff
/// in review. After an intended change, regenerate with ESPFLASH_UPDATE_GOLDEN=1 and read the diff.
@Suite struct HelpGoldenTests {
  static let commands: [(String, any ParsableCommand.Type)] = [
    ("espflash-swift", ESPFlashCommand.self), ("fs", FSCommand.self), ("fs-build", FSBuildCommand.self),
    ("fs-upload", FSUploadCommand.self), ("fs-download", FSDownloadCommand.self),
    ("fs-provision", FSProvisionCommand.self), ("write-flash", WriteFlashCommand.self),
    ("certs-check", CertsCheckCommand.self),
  ]

  @Test(arguments: commands.map(\.0))
  func helpMatchesTheGoldenText(_ name: String) throws {
    let command = try #require(Self.commands.first { $0.0 == name }?.1)
    let help = ESPFlashCommand.helpMessage(for: command, columns: 110) + "\n"
    let golden = Repository.testdata("cli-help/\(name).txt")
    if ProcessInfo.processInfo.environment["ESPFLASH_UPDATE_GOLDEN"] == "1" {
      try Data(help.utf8).write(to: golden)
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    let mismatch = zip(help.split(separator: "\n", omittingEmptySubsequences: false),
                       expected.split(separator: "\n", omittingEmptySubsequences: false))
      .enumerated().first { $0.element.0 != $0.element.1 }
    #expect(help == expected, "line \((mismatch?.offset ?? 0) + 1): \(mismatch.map { "\($0.element.0) ≠ \($0.element.1)" } ?? "length")")
  }
}
