import Foundation

/// stdout for results, stderr for everything else, JSON for scripts, and whole-file writes.
enum FSOutput {
  static func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  static func print(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
  }

  static func writeRaw(_ bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
  }

  /// Pretty, key-sorted JSON on stdout.
  static func json(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(value)
    data.append(UInt8(ascii: "\n"))
    FileHandle.standardOutput.write(data)
  }

  /// Writes `bytes` to `path` via a temporary file in the same folder and a rename, so a reader never sees a
  /// partial file and a failure leaves nothing behind. An existing symlink at `path` is replaced, not followed.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw CLIError("cannot write \(path): folder \(folder.path) does not exist", status: .ioError)
    }
    // Straight from the array: a Data copy of a 14 MB image would count against the build's peak memory.
    try OutputFiles.writeReplacing(bytes, to: path)
  }

  /// `0x0001`.
  static func hexID(_ id: UInt16) -> String {
    let digits = String(id, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// Left-pads for table columns.
  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }

  static func rightPad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}
