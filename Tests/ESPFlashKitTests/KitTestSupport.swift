import ESPFlashKit
import Foundation
import SPIFFS
import TestSupport

/// A scratch folder with a seeded data folder and a virtual board image path, for in-process workflow tests.
struct KitBench {
  let root: URL
  let data: URL
  let board: URL
  let seed: UInt64

  init(seed: UInt64 = UInt64.random(in: 1...UInt64.max)) throws {
    self.seed = seed
    root = try ScratchFolder.make("kit-tests")
    data = root.appendingPathComponent("data")
    board = root.appendingPathComponent("board.bin")
    var generator = SplitMix64(seed: seed)
    let files: [(String, [UInt8])] = [
      ("index.html", Array("<html><body>hello from the library</body></html>\n".utf8)),
      ("config.json", Array("{\"interval\":30}\n".utf8)),
      ("www/app.js", Array(String(repeating: "console.log('kit');\n", count: 30).utf8)),
      ("www/img/logo.bin", (0..<(2000 + Int(generator.next() % 3000))).map { _ in UInt8(truncatingIfNeeded: generator.next()) }),
      ("empty.txt", []),
    ]
    for (name, bytes) in files { try write(bytes, to: "data/" + name) }
  }

  func write(_ bytes: [UInt8], to relative: String) throws {
    let url = root.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  func remove() { try? FileManager.default.removeItem(at: root) }

  /// The ROM loader only: no stub is installed for these tests, and none is looked for.
  func connection(_ chip: String, flash: String = "4MB") -> ConnectionSettings {
    ConnectionSettings(port: "sim://\(chip)?flash=\(flash)&image=\(board.path)&bootlog=0", stub: .none, environment: [:])
  }

  func boardBytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: board)) }

  func preset(_ name: String) throws -> SPIFFSLayoutPreset {
    guard let preset = SPIFFSLayoutPresets.named(name) else { throw UnknownPreset(name: name) }
    return preset
  }

  struct UnknownPreset: Error { var name: String }
}

/// Collects a workflow's events for assertions.
final class EventLog {
  private(set) var events: [WorkflowEvent] = []
  var handler: WorkflowEvents { { [self] in events.append($0) } }

  var notes: [String] {
    events.compactMap { if case .note(let text) = $0 { text } else { nil } }
  }

  var sessionsEnded: Int {
    events.filter { if case .sessionEnded = $0 { true } else { false } }.count
  }

  /// Started and finished transfers pair up, in order.
  var transfersBalanced: Bool {
    var open = 0
    for event in events {
      switch event {
      case .transferStarted: if open != 0 { return false }; open += 1
      case .transferFinished: if open != 1 { return false }; open -= 1
      default: break
      }
    }
    return open == 0
  }
}
