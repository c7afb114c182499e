import Foundation
import Testing
import TestSupport

/// A scratch folder with a data folder and a virtual board file, for `fs upload` / `fs download` runs.
struct UploadBench {
  let root: URL
  let data: URL
  let board: URL
  let seed: UInt64

  static let mib = 1 << 20

  /// A data folder with text, nested folders, an empty file and seeded random binary content.
  init(seed: UInt64 = UInt64.random(in: 1...UInt64.max)) throws {
    self.seed = seed
    root = try FSTestSupport.temporaryFolder()
    data = root.appendingPathComponent("data")
    board = root.appendingPathComponent("board.bin")
    var generator = SplitMix64(seed: seed)
    let files: [(String, [UInt8])] = [
      ("index.html", Array("<html><body>hello from SPIFFS</body></html>\n".utf8)),
      ("config.json", Array("{\"ssid\":\"lab\",\"interval\":30}\n".utf8)),
      ("www/app.js", Array(String(repeating: "console.log('x');\n", count: 40).utf8)),
      ("www/img/logo.bin", (0..<(3000 + Int(generator.next() % 2000))).map { _ in UInt8(truncatingIfNeeded: generator.next()) }),
      ("empty.txt", []),
    ]
    for (name, bytes) in files {
      let url = data.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url)
    }
  }

  func remove() { try? FileManager.default.removeItem(at: root) }

  func port(_ chip: String, flash: String = "4MB") -> String {
    "sim://\(chip)?flash=\(flash)&image=\(board.path)&bootlog=0"
  }

  /// Creates the board file with a recognisable pattern, so "untouched" and "overwritten" can be told apart.
  func fillBoard(size: Int, pattern: (Int) -> UInt8) throws -> [UInt8] {
    let bytes = (0..<size).map(pattern)
    try Data(bytes).write(to: board)
    return bytes
  }

  func boardBytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: board)) }

  func path(_ name: String) -> String { root.appendingPathComponent(name).path }

  /// `fs build` of the data folder for a layout: what upload must have put on the board.
  func built(layout: [String], format: String = "compact") throws -> [UInt8] {
    let out = path("built-\(UUID().uuidString).bin")
    let run = try FlashCLI.run(["fs", "build", data.path, "-o", out, "--format", format] + layout)
    #expect(run.status == 0, "fs build: \(run.stderr)")
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
  }

  /// Every regular file below `folder`, relative path → bytes.
  static func snapshot(_ folder: URL) throws -> [String: [UInt8]] {
    var out: [String: [UInt8]] = [:]
    let base = folder.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(atPath: base) else { return out }
    for case let relative as String in walker {
      var isDirectory: ObjCBool = false
      let full = base + "/" + relative
      if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
        out[relative] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
      }
    }
    return out
  }
}

/// esptool's flasher stub directory, when one is installed where the tests can find it: `ESPFLASH_STUB_DIR`,
/// the Python `scripts/test` exports as ESPFLASH_INTEROP_PYTHON, or the repository's `.interop-venv`.
enum StubForTests {
  static let directory: String? = {
    let env = ProcessInfo.processInfo.environment
    if let dir = env["ESPFLASH_STUB_DIR"], !dir.isEmpty, hasESP8266Stub(dir) { return dir }
    var pythons: [String] = []
    if !InteropPython.path.isEmpty { pythons.append(InteropPython.path) }
    pythons.append(Repository.root.appendingPathComponent(".interop-venv/bin/python").path)
    for python in pythons where FileManager.default.isExecutableFile(atPath: python) {
      guard let esptool = InteropPython.esptoolDirectory(python: python) else { continue }
      let dir = esptool + "/targets/stub_flasher"
      if hasESP8266Stub(dir) { return dir }
    }
    return nil
  }()

  static var available: Bool { directory != nil }

  private static func hasESP8266Stub(_ dir: String) -> Bool {
    ["\(dir)/2/esp8266.json", "\(dir)/1/esp8266.json", "\(dir)/esp8266.json"].contains {
      FileManager.default.isReadableFile(atPath: $0)
    }
  }
}

/// How two folders differ (names, then the first differing byte of each file), or nil when they are the same.
func folderDifference(_ a: URL, _ b: URL) throws -> String? {
  let left = try UploadBench.snapshot(a), right = try UploadBench.snapshot(b)
  guard Set(left.keys) == Set(right.keys) else {
    return "files differ: \(left.keys.sorted()) vs \(right.keys.sorted())"
  }
  for name in left.keys.sorted() {
    if let difference = firstDifference(left[name] ?? [], right[name] ?? []) { return "\(name): \(difference)" }
  }
  return nil
}
