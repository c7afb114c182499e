import Foundation
import Testing
import TestSupport

/// sketch.yaml and platformio.ini name the board, the port and the data folder.
@Suite(.enabled(if: StubForTests.available, "needs the pinned esptool's stub JSON (scripts/test installs it into .interop-venv)"))
struct ProjectFileTests {
  @Test func sketchYAMLNamesBoardAndPort() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    try machine.write("MySketch/sketch.yaml", """
      default_fqbn: esp8266:esp8266:d1_mini:eesz=4M1M
      default_port: "\(machine.port("esp8266"))"
      """)
    let run = try machine.run(["fs", "upload"], in: machine.sketch)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("sketch.yaml default_fqbn"), "\(run.stderr)")
    #expect(run.stdout.contains("0x300000 4M1M SPIFFS image (2 files"), "\(run.stdout)")
  }

  @Test func platformIOEnvironmentsPickTheirLayouts() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    try machine.write("pio/data/a.txt", "a\n")
    try machine.write("pio/platformio.ini", """
      [platformio]
      default_envs = d1

      [env:d1]
      platform = espressif8266
      board = d1_mini
      framework = arduino
      upload_port = \(machine.port("esp8266"))

      [env:esp32]
      platform = espressif32
      board = esp32dev
      board_build.partitions = min_spiffs.csv ; Minimal SPIFFS

      [env:lfs]
      platform = espressif8266
      board = d1_mini
      board_build.filesystem = littlefs
      """)
    let pio = machine.root.appendingPathComponent("pio")
    let d1 = try machine.run(["fs", "build", ".", "-o", "d1.bin"], in: pio)
    #expect(d1.status == 0, "\(d1.stderr)")
    #expect(d1.stderr.contains("platformio.ini [env:d1] → layout 4M1M"), "\(d1.stderr)")
    let esp32 = try machine.run(["fs", "build", ".", "-o", "e.bin", "--pio-env", "esp32"], in: pio)
    #expect(esp32.status == 0 && esp32.stderr.contains("→ layout esp32-min_spiffs"), "\(esp32.stderr)")
    let lfs = try machine.run(["fs", "build", ".", "-o", "l.bin", "--pio-env", "lfs"], in: pio)
    #expect(lfs.status == 64 && lfs.stderr.contains("board_build.filesystem = littlefs"), "\(lfs.stderr)")
    let missing = try machine.run(["fs", "build", ".", "-o", "l.bin", "--pio-env", "nope"], in: pio)
    #expect(missing.status == 64 && missing.stderr.contains("environments: d1, esp32, lfs"), "\(missing.stderr)")
    let upload = try machine.run(["fs", "upload"], in: pio)
    #expect(upload.status == 0, "\(upload.stderr)")
    #expect(upload.stdout.contains("0x300000 4M1M SPIFFS image (1 files"), "\(upload.stdout)")
  }

  @Test func layoutNamesTakeMenuLabelsAndSuggest() throws {
    let machine = try ArduinoMachine()
    defer { machine.remove() }
    let label = try machine.run(["fs", "build", "MySketch", "-o", "x.bin", "--layout", "4MB (FS:2MB OTA:~1019KB)"])
    #expect(label.status == 0 && label.stderr.contains("[SPIFFS] layout  : 4M2M"), "\(label.stderr)")
    let typo = try machine.run(["fs", "build", "MySketch", "-o", "x.bin", "--layout", "esp32-defualt"])
    #expect(typo.status == 64 && typo.stderr.contains("did you mean esp32-default"), "\(typo.stderr)")
    let noData = try machine.run(["fs", "build", ".", "-o", "x.bin", "--layout", "4M1M"], in: machine.sketch.appendingPathComponent("data"))
    #expect(noData.status == 0, "a plain data folder still works: \(noData.stderr)")
    try FileManager.default.removeItem(at: machine.sketch.appendingPathComponent("data"))
    let empty = try machine.run(["fs", "build", "MySketch", "-o", "x.bin", "--layout", "4M1M"])
    #expect(empty.status == 66 && empty.stderr.contains("sketch folder (MySketch) without a data folder"), "\(empty.stderr)")
  }
}
