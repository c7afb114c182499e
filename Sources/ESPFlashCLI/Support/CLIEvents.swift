import ESPFlashKit
import Foundation

/// Renders the library's events for a terminal: notes and reports on stderr, transfers as the progress bar,
/// the wire statistics when `--stats` asked for them.
final class CLIEvents {
  private let progress: Bool
  private let stats: Bool
  private var bar: ProgressReporter?

  init(progress: Bool = true, stats: Bool = false) {
    self.progress = progress
    self.stats = stats
  }

  /// The handler to pass to library calls.
  var handler: WorkflowEvents { { [self] event in handle(event, prefix: "") } }

  private func handle(_ event: WorkflowEvent, prefix: String) {
    switch event {
    case .note(let text):
      Console.note(Self.prefixed(text, prefix))
    case .credentialsChecked(let outcome):
      var text = CheckReport(outcome).text(showInfo: false)
      while text.hasSuffix("\n") { text.removeLast() }
      Console.note(Self.prefixed(text, prefix))
    case .transferStarted(let label, let total):
      bar?.finish()
      bar = ProgressReporter(label: label, total: total, enabled: progress)
    case .transferProgress(let done, _):
      bar?.update(done)
    case .transferFinished:
      bar?.finish()
      bar = nil
    case .device(let name, let inner):
      handle(inner, prefix: prefix + "[\(name)] ")
    case .sessionEnded(let statistics):
      if stats { Console.note(Self.statsLine(statistics)) }
    }
  }

  /// Every line of `text` with `prefix` (a device name while provisioning).
  static func prefixed(_ text: String, _ prefix: String) -> String {
    guard !prefix.isEmpty else { return text }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
  }

  /// The `--stats` paragraph.
  static func statsLine(_ stats: WireStatistics) -> String {
    var line = String(format: "wire: host→device %d B, device→host %d B; %.2f s here; ≥ %.2f s on a UART (final rate %d baud)",
                      stats.hostToDevice, stats.deviceToHost, stats.elapsedSeconds, stats.uartSeconds, stats.baud)
    // The virtual board's own meter adds the modelled flash time and per-baud wire time.
    if let board = stats.virtualBoard { line += "\nvirtual board: " + board.summary }
    return line
  }
}
