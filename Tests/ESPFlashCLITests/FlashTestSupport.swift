import Foundation
import Testing
import TestSupport

/// Runs the built `espflash-swift` binary with a bounded wait.
enum FlashCLI {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 60) throws -> Result {
    let run = try ProcessRun.run(BuiltCLI.binary, arguments, environment: environment, timeout: timeout)
    if run.timedOut { Issue.record("espflash-swift \(arguments) timed out") }
    return Result(status: run.status, stdout: run.stdoutText, stderr: run.stderrText)
  }
}
