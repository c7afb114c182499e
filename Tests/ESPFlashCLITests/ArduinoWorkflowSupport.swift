import ESPLoader
import Foundation
import SPIFFS
import Testing
import TestSupport

/// A new Arduino user's machine in a temporary folder: a home with an Arduino15 tree whose ESP8266 core holds
/// esptool 3.0's `esptool.py` (stubs embedded as zlib+base64 literals, built here from the pinned esptool's
/// JSON stubs), a sketch folder, and a virtual board. Nothing of the developer's environment leaks in: no
/// esptool on PATH, no ESPFLASH_STUB_DIR, no python asked.
struct ArduinoMachine {
  let root: URL
  let home: URL
  let sketch: URL
  let board: URL

  /// The pinned esptool's legacy stubs (1/), which the fake core's esptool.py carries for ESP8266 and ESP32.
  static var stubRoot: String? { StubForTests.directory }

  init(sketchName: String = "MySketch") throws {
    root = try FSTestSupport.temporaryFolder()
    home = root.appendingPathComponent("home")
    sketch = root.appendingPathComponent(sketchName)
    board = root.appendingPathComponent("board.bin")
    try write("\(sketchName)/\(sketchName).ino", "#include <FS.h>\nvoid setup() { SPIFFS.begin(); }\nvoid loop() {}\n")
    try write("\(sketchName)/data/config.json", "{\"ssid\":\"lab\",\"interval\":30}\n")
    try write("\(sketchName)/data/www/index.html", "<html><body>hello</body></html>\n")
    if let stubRoot = Self.stubRoot {
      let stubs = try [("ESP8266ROM", "esp8266"), ("ESP32ROM", "esp32")].map { className, chip in
        try PythonStubSource.Stub(className: className, jsonFile: "\(stubRoot)/1/\(chip).json")
      }
      try write("home/.arduino15/packages/esp8266/hardware/esp8266/3.1.2/tools/esptool/esptool.py",
                try PythonStubSource.esptoolPy(version: "3.0", stubs: stubs) { try Deflate.compress($0) })
    }
  }

  func remove() { try? FileManager.default.removeItem(at: root) }

  func write(_ relative: String, _ text: String) throws {
    try write(relative, Array(text.utf8))
  }

  func write(_ relative: String, _ bytes: [UInt8]) throws {
    let url = root.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  func port(_ chip: String, flash: String = "4MB") -> String {
    "sim://\(chip)?flash=\(flash)&image=\(board.path)&bootlog=0"
  }

  /// Only this machine's home: no stub directory, no python to ask, nothing on PATH but the system's.
  var environment: [String: String] {
    ["HOME": home.path, "ESPFLASH_STUB_DIR": "", "ESPFLASH_PYTHON": "/nonexistent/python3",
     "PATH": "/usr/bin:/bin", "ARDUINO_DIRECTORIES_DATA": "", "LOCALAPPDATA": "", "PLATFORMIO_CORE_DIR": root.appendingPathComponent("no-pio").path,
     "ESPFLASH_PORT": "", "ESPTOOL_PORT": ""]
  }

  func run(_ arguments: [String], in directory: URL? = nil) throws -> FlashCLI.Result {
    let run = try ProcessRun.run(BuiltCLI.binary, arguments, directory: directory ?? root, environment: environment,
                                 timeout: 120)
    if run.timedOut { Issue.record("espflash-swift \(arguments) timed out") }
    return FlashCLI.Result(status: run.status, stdout: run.stdoutText, stderr: run.stderrText)
  }

  func boardBytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: board)) }

  /// A 4 MB board file holding `table` at 0x8000 (as a flashed sketch would have), erased elsewhere.
  func eraseBoard(size: Int = 4 << 20, table csv: String?) throws {
    var bytes = [UInt8](repeating: 0xFF, count: size)
    if let csv {
      let binary = try PartitionTable(csv: csv).binary()
      bytes.replaceSubrange(0x8000..<(0x8000 + binary.count), with: binary)
    }
    try Data(bytes).write(to: board)
  }

  /// arduino-esp32's default.csv (§2.2).
  static let defaultCSV = """
    # Name,   Type, SubType, Offset,  Size, Flags
    nvs,      data, nvs,     0x9000,  0x5000,
    otadata,  data, ota,     0xe000,  0x2000,
    app0,     app,  ota_0,   0x10000, 0x140000,
    app1,     app,  ota_1,   0x150000,0x140000,
    spiffs,   data, spiffs,  0x290000,0x160000,
    coredump, data, coredump,0x3F0000,0x10000,
    """

  /// A sketch's own table: one factory app and a 192 KiB spiffs at 0x3C0000.
  static let sketchCSV = """
    nvs,      data, nvs,     0x9000,  0x5000,
    otadata,  data, ota,     0xe000,  0x2000,
    factory,  app,  factory, 0x10000, 0x300000,
    spiffs,   data, spiffs,  0x310000,0x30000,
    coredump, data, coredump,0x3F0000,0x10000,
    """

  /// A fake ESP image: the 0xE9 magic, then seeded bytes.
  static func image(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    return [0xE9] + (1..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
  }
}
