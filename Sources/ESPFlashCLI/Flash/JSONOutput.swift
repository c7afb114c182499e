import Foundation

/// `--json` results: one JSON document on stdout, keys sorted so scripts and diffs see stable output.
enum JSONOutput {
  static func print(_ object: Any) {
    guard JSONSerialization.isValidJSONObject(object),
          let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else {
      return
    }
    FileHandle.standardOutput.write(data + Data("\n".utf8))
  }

  static func hex(_ value: some BinaryInteger) -> String { "0x" + String(value, radix: 16) }
}
