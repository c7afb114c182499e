import Foundation
import SPIFFS
import Testing
import TestSupport

/// Firmware and file system in one connection, with the checks of `fs upload`.
@Suite(.enabled(if: StubForTests.available, "needs the pinned esptool's stub JSON (scripts/test installs it into .interop-venv)"))
struct FirmwareUploadTests {
  @Test func esp32ExportFolderAndFileSystemInOneCommand() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    let seed = UInt64.random(in: 1...UInt64.max)
    let export = "MySketch/build/esp32.esp32.esp32"
    let app = ArduinoMachine.image(200_000, seed: seed), bootloader = ArduinoMachine.image(20_000, seed: seed ^ 1)
    var table = try PartitionTable(csv: ArduinoMachine.defaultCSV).binary()
    table += [UInt8](repeating: 0xFF, count: 0xC00 - table.count)
    let bootApp0 = [UInt8](repeating: 0, count: 0x2000)
    try machine.write("\(export)/MySketch.ino.bin", app)
    try machine.write("\(export)/MySketch.ino.bootloader.bin", bootloader)
    try machine.write("\(export)/MySketch.ino.partitions.bin", table)
    try machine.write("\(export)/boot_app0.bin", bootApp0)
    try machine.write("\(export)/MySketch.ino.elf", "not an image")

    let run = try machine.run(["fs", "upload", "MySketch", "--fqbn", "esp32:esp32:esp32", "--firmware", export,
                               "--port", machine.port("esp32")])
    #expect(run.status == 0, "seed \(seed): \(run.stderr)")
    let board = try machine.boardBytes()
    #expect(Array(board[0x1000..<(0x1000 + bootloader.count)]) == bootloader)
    #expect(Array(board[0x8000..<0x8C00]) == table)
    #expect(Array(board[0xE000..<0x10000]) == bootApp0)
    #expect(Array(board[0x10000..<(0x10000 + app.count)]) == app, "seed \(seed)")
    #expect(run.stdout.contains("0x10000 app (app0) (200000 bytes): written, verified"), "\(run.stdout)")
    #expect(run.stdout.contains("0x1000 bootloader (20000 bytes): written, verified"))
    #expect(run.stderr.contains("Checked against the firmware's partition table"), "\(run.stderr)")
    let list = try machine.run(["fs", "ls", "--port", machine.port("esp32")])
    #expect(list.status == 0 && list.stdout.contains("/www/index.html"), "\(list.stderr)")
  }

  @Test func esp8266SketchBinaryAtZeroThenTheFileSystem() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    let sketch = ArduinoMachine.image(300_000, seed: 7)
    try machine.write("MySketch.ino.bin", sketch)
    let run = try machine.run(["fs", "upload", "MySketch", "--fqbn", "esp8266:esp8266:d1_mini:eesz=4M1M",
                               "--firmware", "MySketch.ino.bin", "--port", machine.port("esp8266"), "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let board = try machine.boardBytes()
    #expect(Array(board[0..<sketch.count]) == sketch)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(object["address"] as? String == "0x300000" && object["verified"] as? Bool == true)
    let firmware = try #require(object["firmware"] as? [[String: Any]])
    #expect(firmware.first?["address"] as? String == "0x0" && firmware.first?["verified"] as? Bool == true)
  }

  @Test func overlapsAndOversizedAppsAreRefusedBeforeWriting() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    // 2 MB + 1 byte of sketch runs into 4M2M's file system at 0x200000.
    try machine.write("big.ino.bin", ArduinoMachine.image(0x200001, seed: 3))
    let overlap = try machine.run(["fs", "upload", "MySketch", "--fqbn", "esp8266:esp8266:nodemcuv2",
                                   "--firmware", "big.ino.bin", "--port", machine.port("esp8266")])
    #expect(overlap.status == 64, "\(overlap.stderr)")
    #expect(overlap.stderr.contains("the sketch (0x0..0x200001) overlaps the file system at 0x200000"), "\(overlap.stderr)")
    if FileManager.default.fileExists(atPath: machine.board.path) {
      let board = try machine.boardBytes()
      #expect(board.prefix(0x1000).allSatisfy { $0 == 0xFF }, "nothing may be written")
    }

    try machine.eraseBoard(table: ArduinoMachine.defaultCSV)
    try machine.write("huge.ino.bin", ArduinoMachine.image(0x140001, seed: 4))
    let huge = try machine.run(["fs", "upload", "MySketch", "--fqbn", "esp32:esp32:esp32", "--firmware", "huge.ino.bin",
                                "--port", machine.port("esp32")])
    #expect(huge.status == 65, "\(huge.stderr)")
    #expect(huge.stderr.contains("the app partition 'app0' at 0x10000 holds 1310720"), "\(huge.stderr)")
    #expect(try machine.boardBytes()[0x10000] == 0xFF)
  }
}
