import ESPFlashKit
import ESPLoader

/// How a stop on request (Ctrl-C, SIGTERM) is reported: what is done, what is not, the exact command that
/// finishes the job, exit 130. The chip is left in the loader: no `--after` reset runs.
enum InterruptReport {
  static func error(_ stop: Interruption, resume: String, consequence: String? = nil) -> CLIError {
    var message = stop.description
    if let consequence { message += ". " + consequence }
    let hint = "the chip is still in its loader (no reset was done). To finish the job, run:\n  " + resume
    return CLIError(message, hint: hint, status: .interrupted)
  }

  /// Runs a device operation with Ctrl-C deferred to block boundaries, turning a stop into the report.
  static func run<T>(resume: (Interruption) -> String = { _ in ResumeCommand.line() }, consequence: String? = nil,
                     _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch LoaderError.interrupted(let stop) {
      throw error(stop, resume: resume(stop), consequence: consequence)
    }
  }
}
