import ArgumentParser
import Foundation

/// An error the CLI knows how to explain. Library errors adopt it in `*+Report.swift` files beside their
/// commands, so this funnel stays the only place that prints `error:` and picks an exit code.
public protocol ReportableError: Error {
  /// One line: what went wrong, with the numbers.
  var message: String { get }
  /// What to do about it, or nil.
  var hint: String? { get }
  var exitStatus: ExitStatus { get }
}

/// A CLI-level failure that carries its own message, hint and exit code.
public struct CLIError: ReportableError, CustomStringConvertible {
  public var message: String
  public var hint: String?
  public var exitStatus: ExitStatus
  public init(_ message: String, hint: String? = nil, status: ExitStatus) {
    self.message = message
    self.hint = hint
    self.exitStatus = status
  }
  public var description: String { message }
}

/// The single funnel from any thrown error to stderr text and an exit code.
public enum ErrorReport {
  /// The text and status for `error`; used by `exit(for:)` and by tests.
  public static func render(_ error: any Error) -> (text: String, status: ExitStatus)? {
    if let reportable = error as? any ReportableError {
      var text = "error: \(reportable.message)\n"
      if let hint = reportable.hint { text += "hint: \(hint)\n" }
      return (text, reportable.exitStatus)
    }
    if let exit = error as? ExitCode {
      return ("", ExitStatus(rawValue: exit.rawValue) ?? .failure)
    }
    return nil
  }

  /// The one-line message of any error, as `error:` would show it (without the prefix and hint).
  public static func message(_ error: any Error) -> String {
    if let reportable = error as? any ReportableError { return reportable.message }
    return String(describing: error)
  }

  /// `json`: the command was asked for `--json`, so the error is also one JSON object on stdout
  /// (`{"error": …, "hint": …, "exitStatus": …}`) for the script reading it.
  public static func exit(for error: any Error, json: Bool = false) -> Never {
    if let (text, status) = render(error) {
      FileHandle.standardError.write(Data(text.utf8))
      if json, let reportable = error as? any ReportableError {
        JSONError.print(reportable.message, hint: reportable.hint, status: status.rawValue)
      }
      ExitStatus.exit(status)
    }
    if error is any LocalizedError || error is CocoaError {
      FileHandle.standardError.write(Data("error: \(error.localizedDescription)\n".utf8))
      if json { JSONError.print(error.localizedDescription, hint: nil, status: ExitStatus.ioError.rawValue) }
      ExitStatus.exit(.ioError)
    }
    if json, ESPFlashCommand.exitCode(for: error) != .success {
      JSONError.print(ESPFlashCommand.message(for: error), hint: nil, status: ESPFlashCommand.exitCode(for: error).rawValue)
    }
    // ArgumentParser's own errors (usage, --help, --version) keep its formatting and exit codes (64 for usage).
    ESPFlashCommand.exit(withError: error)
  }
}
