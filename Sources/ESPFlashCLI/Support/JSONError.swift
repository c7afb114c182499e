import Foundation

/// The error object `--json` commands print on stdout when they fail, so a script that parses stdout sees
/// the failure too (stderr keeps the `error:`/`hint:` lines).
enum JSONError {
  static func print(_ message: String, hint: String?, status: Int32) {
    var object: [String: Any] = ["error": message, "exitStatus": Int(status)]
    if let hint { object["hint"] = hint }
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else { return }
    FileHandle.standardOutput.write(data + Data("\n".utf8))
  }
}
