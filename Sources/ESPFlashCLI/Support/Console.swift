import ESPFlashKit
import Foundation

/// stdout for results, stderr for everything else, JSON for scripts.
enum Console {
  /// One line on stderr (a trailing newline in `text` is not doubled).
  static func note(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }

  /// One line on stdout.
  static func print(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
  }

  static func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  static func writeRaw(_ bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
  }

  /// A result as JSON on stdout (`ResultJSON`: pretty, keys sorted). An encoding failure is thrown, never
  /// swallowed: a script must not read an empty stdout and exit status 0 as success.
  static func json(_ value: some Encodable) throws {
    FileHandle.standardOutput.write(Data(try ResultJSON.encode(value)))
  }

  /// Left-pads for table columns.
  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }

  static func rightPad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}
