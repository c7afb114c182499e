import Foundation

/// Where the tests find the repository: fixtures live under `testdata/`, and the built binary is looked for
/// under `.build/debug` as a fallback. Computed from this file's `#filePath` (repo root = three levels up
/// from `Tests/TestSupport/Repository.swift`), so tests do not depend on the working directory.
public enum Repository {
  public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// A path below `testdata/`, e.g. `testdata("spiffs")`.
  public static func testdata(_ relative: String) -> URL {
    root.appendingPathComponent("testdata/\(relative)")
  }
}
