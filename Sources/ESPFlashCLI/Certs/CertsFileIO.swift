import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File reading and atomic writing for the certs commands (temp file in the same folder, then rename).
enum CertsFileIO {
  static func read(_ path: String) throws -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CLIError("\(path): no such file or folder", status: .noInput)
    }
    guard !isDirectory.boolValue else { throw CLIError("\(path) is a folder, expected a file", status: .noInput) }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIError("\(path): cannot be read", hint: "check its permissions", status: .noInput)
    }
    return [UInt8](data)
  }

  /// Writes `bytes` to `path` via a temp file in the same folder and rename, so no partial output remains.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
      try Data(bytes).write(to: temp)
      // rename(2) replaces an existing file atomically (FileManager.replaceItemAt is unreliable on Linux).
      guard rename(temp.path, url.path) == 0 else {
        throw CLIError("cannot rename \(temp.path) to \(path): errno \(errno)", status: .ioError)
      }
    } catch {
      try? FileManager.default.removeItem(at: temp)
      throw CLIError("cannot write \(path): \(error.localizedDescription)", status: .ioError)
    }
  }

  static func writeStdout(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  static func writeStderr(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
