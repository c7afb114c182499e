import ESPFlashKit
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of a long transfer on stderr: a redrawn bar with percent, bytes, rate and ETA when stderr is a
/// terminal; plain lines at every 10 % otherwise (CI logs). Silent when `enabled` is false.
final class ProgressReporter {
  private let label: String
  private let total: Int
  private let enabled: Bool
  private let isTTY: Bool
  private let start = Date()
  private var lastDraw = Date.distantPast
  private var lastDecile = -1
  private var finished = false

  init(label: String, total: Int, enabled: Bool = true) {
    self.label = label
    self.total = max(total, 1)
    self.enabled = enabled
    isTTY = isatty(STDERR_FILENO) == 1
  }

  /// The callback the library calls after each block.
  var handler: (Int, Int) -> Void { { [self] done, _ in update(done) } }

  func update(_ done: Int) {
    guard enabled, !finished else { return }
    let fraction = min(1, Double(done) / Double(total))
    let elapsed = Date().timeIntervalSince(start)
    if isTTY {
      guard Date().timeIntervalSince(lastDraw) > 0.1 || done >= total else { return }
      lastDraw = Date()
      let width = 28
      let filled = Int(fraction * Double(width))
      let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
      let line = "\r\(label) \(bar) \(Self.percent(fraction)) \(ByteSize.human(done))/\(ByteSize.human(total)) "
        + Self.rateAndETA(done: done, total: total, elapsed: elapsed) + "\u{1B}[K"
      FileHandle.standardError.write(Data(line.utf8))
    } else {
      let decile = Int(fraction * 10)
      guard decile > lastDecile else { return }
      lastDecile = decile
      let line = "\(label): \(Self.percent(fraction)) (\(done) of \(total) bytes) "
        + Self.rateAndETA(done: done, total: total, elapsed: elapsed) + "\n"
      FileHandle.standardError.write(Data(line.utf8))
    }
  }

  /// Ends the bar's line so the next message starts clean.
  func finish() {
    guard enabled, !finished else { return }
    finished = true
    if isTTY { FileHandle.standardError.write(Data("\n".utf8)) }
  }

  static func percent(_ f: Double) -> String { String(format: "%3d %%", Int((f * 100).rounded(.down))) }

  static func rateAndETA(done: Int, total: Int, elapsed: Double) -> String {
    guard elapsed > 0.05, done > 0 else { return "" }
    let rate = Double(done) / elapsed
    let eta = Double(total - done) / rate
    return "\(ByteSize.human(Int(rate)))/s" + (done < total ? String(format: " ETA %.0f s", eta.rounded(.up)) : "")
  }
}
