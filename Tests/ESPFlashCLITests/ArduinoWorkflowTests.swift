import Foundation
import SPIFFS
import Testing
import TestSupport

/// The Arduino user's job from one command line, on the virtual board: sketch folders, board names, the
/// board's own partition table, and read-back with the stub from the user's Arduino15 — no esptool on PATH.
@Suite(.enabled(if: StubForTests.available, "needs the pinned esptool's stub JSON (scripts/test installs it into .interop-venv)"))
struct ArduinoWorkflowTests {
  @Test func esp8266SketchByFQBNIsVerifiedAndReadBackWithTheArduino15Stub() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    let port = machine.port("esp8266")
    let upload = try machine.run(["fs", "upload", "MySketch", "--fqbn", "esp8266:esp8266:nodemcuv2", "--port", port])
    #expect(upload.status == 0, "\(upload.stderr)")
    #expect(upload.stderr.contains("sketch MySketch: packing MySketch/data/"), "\(upload.stderr)")
    #expect(upload.stderr.contains("eesz=4M2M (the board's default) → layout 4M2M"))
    #expect(upload.stderr.contains("Flasher stub: Arduino esp8266 core 3.1.2, esptool 3.0, GPL-2.0-or-later"), "\(upload.stderr)")
    #expect(upload.stdout.contains("0x200000 4M2M SPIFFS image (2 files"), "\(upload.stdout)")
    #expect(upload.stdout.contains("written, verified (MD5"), "\(upload.stdout)")
    #expect(!upload.stdout.contains(".ino"), "the sketch file must never be packed: \(upload.stdout)")

    // Back without a layout: the probe finds 4M2M's magic at 0x200000 (4M3M's 0x100000 is erased).
    let list = try machine.run(["fs", "ls", "--port", port])
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stderr.contains("No layout given: the board's file system is 4M2M"), "\(list.stderr)")
    #expect(list.stdout.contains("/config.json") && list.stdout.contains("/www/index.html"), "\(list.stdout)")
    #expect(!list.stdout.contains("MySketch.ino"))

    let cat = try machine.run(["fs", "cat", "--port", port, "/config.json"])
    #expect(cat.status == 0, "\(cat.stderr)")
    #expect(cat.stdout == "{\"ssid\":\"lab\",\"interval\":30}\n")

    let extract = try machine.run(["fs", "extract", "--port", port, "back"])
    #expect(extract.status == 0, "\(extract.stderr)")
    #expect(try folderDifference(machine.root.appendingPathComponent("back"), machine.sketch.appendingPathComponent("data")) == nil)
  }

  @Test func esp32SketchByFQBNUsesTheSchemeAndTheBoardAgrees() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    try machine.eraseBoard(table: ArduinoMachine.defaultCSV)
    let port = machine.port("esp32")
    let upload = try machine.run(["fs", "upload", "MySketch", "--fqbn", "esp32:esp32:esp32", "--port", port])
    #expect(upload.status == 0, "\(upload.stderr)")
    #expect(upload.stderr.contains("PartitionScheme=default (the board's default) → layout esp32-default"))
    #expect(upload.stderr.contains("Checked against the board's partition table: partition 'spiffs' at 0x290000"), "\(upload.stderr)")
    #expect(upload.stdout.contains("0x290000 esp32-default SPIFFS image (2 files"), "\(upload.stdout)")

    let list = try machine.run(["fs", "ls", "--port", port])
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stderr.contains("the board's file system is esp32-default (0x290000"), "\(list.stderr)")
    #expect(list.stderr.contains("(from its partition table)"))
    #expect(list.stdout.contains("/config.json"))
  }

  @Test func esp32SketchPartitionsCSVReplacesTheScheme() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    try machine.write("MySketch/partitions.csv", ArduinoMachine.sketchCSV)
    try machine.eraseBoard(table: ArduinoMachine.sketchCSV)
    let port = machine.port("esp32")
    let upload = try machine.run(["fs", "upload", "MySketch", "--fqbn", "esp32:esp32:esp32", "--port", port])
    #expect(upload.status == 0, "\(upload.stderr)")
    #expect(upload.stderr.contains("ESP32 sketch partition table"), "\(upload.stderr)")
    #expect(upload.stdout.contains("0x310000 MySketch/partitions.csv SPIFFS image"), "\(upload.stdout)")
    let list = try machine.run(["fs", "ls", "--port", port, "--json"])
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stderr.contains("partition 'spiffs' (0x310000"), "\(list.stderr)")
    #expect(list.stdout.contains("\"name\" : \"/config.json\""), "\(list.stdout)")
  }

  @Test func theBoardsPartitionTableRefusesAMismatchedWrite() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    try machine.eraseBoard(table: ArduinoMachine.defaultCSV)
    let before = try machine.boardBytes()
    let port = machine.port("esp32")
    let refused = try machine.run(["fs", "upload", "MySketch", "--layout", "esp32-min_spiffs", "--port", port])
    #expect(refused.status == 64, "\(refused.stderr)")
    #expect(refused.stderr.contains("has no spiffs partition at 0x3D0000"), "\(refused.stderr)")
    #expect(refused.stderr.contains("nvs data/nvs 0x9000+0x5000") && refused.stderr.contains("spiffs data/spiffs 0x290000+0x160000"))
    #expect(refused.stderr.contains("pass --layout esp32-default"), "\(refused.stderr)")
    #expect(try machine.boardBytes() == before, "nothing may be written")

    // A sketch CSV that the board was never flashed with is refused the same way.
    try machine.write("MySketch/partitions.csv", ArduinoMachine.sketchCSV)
    let csv = try machine.run(["fs", "upload", "MySketch", "--fqbn", "esp32:esp32:esp32", "--port", port])
    #expect(csv.status == 64 && csv.stderr.contains("no spiffs partition at 0x310000"), "\(csv.stderr)")
    #expect(try machine.boardBytes() == before)

    let forced = try machine.run(["fs", "upload", "MySketch", "--layout", "esp32-min_spiffs", "--port", port, "--force"])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(forced.stderr.contains("writing anyway (--force)"))
    #expect(try machine.boardBytes()[0x3D0000..<0x3D0100] != before[0x3D0000..<0x3D0100])
  }

  @Test func stubsListsTheArduino15Install() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    let run = try machine.run(["stubs", "--json", "--check"])
    #expect(run.status == 0, "\(run.stderr)")
    let list = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
    let esp8266 = try #require(list.first { $0["chip"] as? String == "esp8266" }, "\(run.stdout)")
    #expect(esp8266["esptoolVersion"] as? String == "3.0")
    #expect(esp8266["licence"] as? String == "GPL-2.0-or-later")
    #expect(esp8266["format"] as? String == "python-embedded")
    #expect((esp8266["path"] as? String)?.hasSuffix("packages/esp8266/hardware/esp8266/3.1.2/tools/esptool/esptool.py") == true)
    #expect(esp8266["autoChoice"] as? Bool == true)
    #expect(esp8266["problem"] == nil)
    let text = try machine.run(["stubs"])
    #expect(text.stdout.contains("* esp8266   3.0       python-embedded  GPL-2.0-or-later"), "\(text.stdout)")
  }
}
