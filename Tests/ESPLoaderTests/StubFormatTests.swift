import ESPLoader
import ESPTransport
import Foundation
import Testing
import TestSupport

/// Both stub forms esptool versions use (JSON files; zlib+base64 Python literals inside esptool.py) and the
/// catalog that finds them in Arduino15, PlatformIO and pip trees.
@Suite struct StubFormatTests {
  /// Seeded random stubs, every byte value present, survive the Python-literal form exactly.
  @Test func embeddedStubsRoundTrip() throws {
    let seed = UInt64.random(in: 1...UInt64.max)
    var generator = SplitMix64(seed: seed)
    var text = (0..<4000).map { _ in UInt8(truncatingIfNeeded: generator.next()) } + Array(0...255)
    text.shuffle(using: &generator)
    let data = (0..<700).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    let stubs = [
      PythonStubSource.Stub(className: "ESP8266ROM", text: text, textStart: 0x4010E000, entry: 0x4010E004,
                            data: data, dataStart: 0x3FFFACA8),
      PythonStubSource.Stub(className: "ESP32ROM", text: Array(text.reversed()), textStart: 0x400BE000,
                            entry: 0x400BE598, data: nil, dataStart: nil),
    ]
    let source = try PythonStubSource.esptoolPy(version: "3.0", stubs: stubs) { try Deflate.compress($0) }
    let esp8266 = try PythonStubLiteral.stub(chip: .esp8266, source: source, path: "esptool.py")
    #expect(esp8266.text == text, "seed \(seed)")
    #expect(esp8266.data == data, "seed \(seed)")
    #expect(esp8266.textStart == 0x4010E000 && esp8266.entry == 0x4010E004 && esp8266.dataStart == 0x3FFFACA8)
    let esp32 = try PythonStubLiteral.stub(chip: .esp32, source: source, path: "esptool.py")
    #expect(esp32.text == Array(text.reversed()) && esp32.data.isEmpty && esp32.entry == 0x400BE598)
    #expect(Set(PythonStubLiteral.chips(inSource: source).keys) == [.esp8266, .esp32])
    #expect(throws: LoaderError.self) { try PythonStubLiteral.stub(chip: .esp32c3, source: source, path: "esptool.py") }
  }

  @Test func corruptEmbeddedStubIsAnErrorNotACrash() {
    let source = "ESP8266ROM.STUB_CODE = eval(zlib.decompress(base64.b64decode(b\"\"\"\neJzLSM3JyVcozy/KSQEAGgQEXQ==\n\"\"\")))\n"
    // Valid zlib of "hello world", which is no dict literal.
    #expect(throws: LoaderError.self) { try PythonStubLiteral.stub(chip: .esp8266, source: source, path: "x.py") }
    let broken = "ESP8266ROM.STUB_CODE = eval(zlib.decompress(base64.b64decode(b\"\"\"\n!!!!\n\"\"\")))\n"
    #expect(throws: LoaderError.self) { try PythonStubLiteral.stub(chip: .esp8266, source: broken, path: "x.py") }
  }

  /// Every place and format the catalog reads, in a fake home: Arduino15 ESP8266 core (embedded), an ESP32
  /// core's esptool_py 4.x tree (flat JSON), PlatformIO's tool-esptoolpy (1/ and 2/), and the order
  /// `--stub auto` prefers.
  @Test func catalogFindsEveryInstallationKind() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("stub-catalog-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: home) }
    func write(_ relative: String, _ text: String) throws {
      let url = home.appendingPathComponent(relative)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    let stub = PythonStubSource.Stub(className: "ESP8266ROM", text: [1, 2, 3, 0x27, 0x5C], textStart: 0x4010E000,
                                     entry: 0x4010E004, data: [9], dataStart: 0x3FFFACA8)
    let json = #"{"entry": 1074843652, "text": "AQID", "text_start": 1074843648, "data": "CQ==", "data_start": 1073720492}"#
    try write(".arduino15/packages/esp8266/hardware/esp8266/3.1.2/tools/esptool/esptool.py",
              try PythonStubSource.esptoolPy(version: "3.0", stubs: [stub]) { try Deflate.compress($0) })
    try write(".arduino15/packages/esp32/tools/esptool_py/4.5.1/esptool/__init__.py", "__version__ = \"4.5.1\"\n")
    try write(".arduino15/packages/esp32/tools/esptool_py/4.5.1/esptool/targets/stub_flasher/stub_flasher_32.json", json)
    try write(".platformio/packages/tool-esptoolpy/esptool/__init__.py", "__version__ = '4.11.0'\n")
    try write(".platformio/packages/tool-esptoolpy/esptool/targets/stub_flasher/1/esp8266.json", json)
    try write(".platformio/packages/tool-esptoolpy/esptool/targets/stub_flasher/2/esp32.json", json)

    let found = StubCatalog.discover(environment: ["HOME": home.path], askPython: false)
    let summary = found.map { "\($0.chip.rawValue) \($0.esptoolVersion ?? "?") \($0.format.rawValue) \($0.licence)" }
    #expect(summary.contains("esp8266 3.0 python-embedded GPL-2.0-or-later"), "\(summary)")
    #expect(summary.contains("esp32 4.5.1 json GPL-2.0-or-later"), "\(summary)")
    #expect(summary.contains("esp8266 4.11.0 json GPL-2.0-or-later"), "\(summary)")
    #expect(summary.contains("esp32 4.11.0 json Apache-2.0 OR MIT"), "\(summary)")
    // PlatformIO is searched before Arduino15; within PlatformIO's esptool, 2/ before 1/.
    let best8266 = try #require(StubCatalog.best(for: .esp8266, in: found))
    #expect(best8266.origin == "PlatformIO tool-esptoolpy")
    let best32 = try #require(StubCatalog.best(for: .esp32, in: found))
    #expect(best32.stubGeneration == "2")
    // Each one loads.
    for installation in found { _ = try installation.load() }
    let embedded = try #require(found.first { $0.format == .pythonEmbedded })
    #expect(try embedded.load().text == [1, 2, 3, 0x27, 0x5C])
  }
}
