import Credentials

/// What a workflow reports while it runs. The library never prints: a caller (the CLI, an app, a test)
/// passes one handler and decides what each event becomes — stderr lines, a progress bar, a log, nothing.
public enum WorkflowEvent: Sendable {
  /// A line for people: what was skipped, converted, connected, reset… (the CLI writes it to stderr).
  case note(String)
  /// The credential check of an image's files ran; errors stop the build right after this event.
  case credentialsChecked(CredentialCheckOutcome)
  /// A transfer to or from the board starts: `label` names it ("Writing 0x300000").
  case transferStarted(label: String, total: Int)
  /// `done` of `total` bytes of the current transfer.
  case transferProgress(done: Int, total: Int)
  /// The current transfer ended (completed or failed).
  case transferFinished
  /// An event of one device's image while provisioning several.
  indirect case device(String, WorkflowEvent)
  /// A board session ended (also on the error path, after the `--after` reset): what crossed the wire.
  case sessionEnded(WireStatistics)
}

/// Receives the events of one workflow call.
public typealias WorkflowEvents = (WorkflowEvent) -> Void

public enum WorkflowEventsDefaults {
  /// Drops every event.
  public static func silent(_: WorkflowEvent) {}
}

/// Reports one transfer's progress as events, ending it exactly once whether the transfer succeeds or fails.
final class TransferReporter {
  private let events: WorkflowEvents
  private var ended = false

  init(_ label: String, total: Int, events: @escaping WorkflowEvents) {
    self.events = events
    events(.transferStarted(label: label, total: total))
  }

  var handler: (Int, Int) -> Void { { [events] done, total in events(.transferProgress(done: done, total: total)) } }

  func finish() {
    guard !ended else { return }
    ended = true
    events(.transferFinished)
  }
}
