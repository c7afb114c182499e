import Foundation

/// A fresh folder under the system's temporary directory, for tests that write files; remove it when done.
public enum ScratchFolder {
  public static func make(_ prefix: String = "espflash-tests") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
