import ESPFlashKit
import ESPLoader
import Foundation
import SPIFFS
import Testing
import TestSupport

/// The library side of sketch folders, project files and firmware sets, without the CLI.
@Suite struct ProjectResolutionTests {
  func folder(_ files: [String: String]) throws -> URL {
    let root = try ScratchFolder.make()
    for (path, text) in files {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return root
  }

  @Test func sketchFoldersAndSketchYAML() throws {
    let root = try folder([
      "Blink/Blink.ino": "void setup(){}", "Blink/data/a.txt": "a",
      "Blink/sketch.yaml": "# comment\ndefault_fqbn: \"esp32:esp32:esp32:PartitionScheme=no_ota\"\ndefault_port: /dev/ttyUSB3\n"
        + "default_port_config:\n  baudrate: 921600\nprofiles:\n  x:\n    fqbn: esp8266:esp8266:generic\n",
      "plain/a.txt": "a",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let sketch = try #require(SketchFolder.at(root.appendingPathComponent("Blink").path))
    #expect(sketch.name == "Blink" && sketch.hasDataFolder)
    #expect(sketch.defaultFQBN == "esp32:esp32:esp32:PartitionScheme=no_ota")
    #expect(sketch.defaultPort == "/dev/ttyUSB3" && sketch.defaultBaud == 921600)
    #expect(SketchFolder.at(root.appendingPathComponent("plain").path) == nil)

    let context = try ProjectContext.resolve(dataArgument: root.appendingPathComponent("Blink").path,
                                             explicitPreset: nil, fqbn: nil, pioEnv: nil, cwd: root.path)
    #expect(context.preset?.name == "esp32-no_ota" && context.chip == .esp32 && context.port == "/dev/ttyUSB3")
    #expect(context.dataDir.hasSuffix("Blink/data"))
    // An option beats sketch.yaml; an explicit layout beats both.
    let byOption = try ProjectContext.resolve(dataArgument: root.appendingPathComponent("Blink").path,
                                              explicitPreset: nil, fqbn: "esp8266:esp8266:d1_mini", pioEnv: nil, cwd: root.path)
    #expect(byOption.preset?.name == "4M2M" && byOption.chip == .esp8266)
    let explicit = try ProjectContext.resolve(dataArgument: root.appendingPathComponent("Blink").path,
                                              explicitPreset: SPIFFSLayoutPresets.named("1M128"), fqbn: nil, pioEnv: nil,
                                              cwd: root.path)
    #expect(explicit.preset?.name == "1M128")
  }

  @Test func platformIOIniEnvironments() throws {
    let root = try folder(["platformio.ini": """
      ; comment
      [platformio]
      data_dir = files

      [env]
      upload_speed = 460800

      [env:nodemcu]
      platform = espressif8266
      board = nodemcuv2
      board_build.ldscript = eagle.flash.4m2m.ld
      upload_port = /dev/ttyUSB0
      build_flags =
          -DFOO=1
      """])
    defer { try? FileManager.default.removeItem(at: root) }
    let project = try #require(try PlatformIOProject.load(folder: root.path, env: nil))
    #expect(project.environment == "nodemcu" && project.dataDir == root.path + "/files")
    #expect(project.uploadPort == "/dev/ttyUSB0" && project.uploadSpeed == 460800)
    #expect(try project.preset().name == "4M2M")
    #expect(throws: ProjectError.self) { try PlatformIOProject.load(folder: root.path, env: "esp32") }
    #expect(try PlatformIOProject.load(folder: root.appendingPathComponent("none").path, env: nil) == nil)
  }

  @Test func firmwareRegionsAndTheirChecks() throws {
    let root = try ScratchFolder.make()
    defer { try? FileManager.default.removeItem(at: root) }
    let merged = [UInt8]([0xE9]) + [UInt8](repeating: 0x11, count: 0x100000 - 1) + [UInt8](repeating: 0xFF, count: 0x300000)
    try Data(merged).write(to: root.appendingPathComponent("S.ino.merged.bin"))
    let set = try FirmwareSet.load(root.appendingPathComponent("S.ino.merged.bin").path)
    let fs = PartitionTarget(preset: try #require(SPIFFSLayoutPresets.named("esp32-default")), offset: 0x290000)
    let regions = try set.regions(chip: .esp32, table: nil, tableOffset: 0x8000, fileSystem: fs)
    // The merged image's 0xFF filler is not sent, and it never covers the file system.
    #expect(regions.count == 1 && regions[0].offset == 0 && regions[0].bytes.count == 0x100000)
    try FirmwareSet.checkLayout(regions + [FlashRegion(role: "file system", path: nil, offset: fs.offset,
                                                       bytes: [UInt8](repeating: 0, count: fs.size))], flashSize: 4 << 20)
    #expect(throws: ProjectError.self) {
      try FirmwareSet.checkLayout([FlashRegion(role: "a", path: nil, offset: 0, bytes: [1, 2]),
                                   FlashRegion(role: "b", path: nil, offset: 1, bytes: [3])], flashSize: 16)
    }
    #expect(throws: ProjectError.self) {
      try FirmwareSet.checkLayout([FlashRegion(role: "a", path: nil, offset: 8, bytes: [UInt8](repeating: 0, count: 9))],
                                  flashSize: 16)
    }
    try Data([0x00, 0x01]).write(to: root.appendingPathComponent("bad.bin"))
    let bad = try FirmwareSet.load(root.appendingPathComponent("bad.bin").path)
    #expect(throws: ProjectError.self) { try bad.regions(chip: .esp8266, table: nil, tableOffset: 0x8000, fileSystem: fs) }
  }
}
