import ESPFlashKit
import Foundation
import SPIFFS
import Testing
import TestSupport

/// Provisioning through the library: one image per device, all or nothing.
@Suite struct ProvisioningTests {
  private func devicesFolder(_ bench: KitBench, _ devices: [String: [String: String]]) throws -> String {
    for (thing, files) in devices {
      for (name, text) in files { try bench.write(Array(text.utf8), to: "things/\(thing)/\(name)") }
    }
    return bench.root.appendingPathComponent("things").path
  }

  @Test func eachDeviceGetsTheCommonFilesPlusItsOwnAndTheManifestSaysWhich() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    let folder = try devicesFolder(bench, ["thing-1": ["config.json": "{\"id\":1}\n", "id.txt": "one\n"],
                                           "thing-2": ["config.json": "{\"id\":2}\n"]])
    let log = EventLog()
    let things = try ProvisionDevices.list(folder, events: log.handler)
    #expect(things.map(\.name) == ["thing-1", "thing-2"])
    let preset = try bench.preset("4M1M")
    let out = bench.root.appendingPathComponent("images").path
    let manifest = try Provisioning(dataDir: bench.data.path, devicesFolder: folder, devices: things, outputDir: out,
                                    pipeline: .init(dataDir: bench.data.path, preset: preset)).run(events: log.handler)
    #expect(manifest.devices.map(\.image) == ["thing-1.spiffs.bin", "thing-2.spiffs.bin"])
    #expect(manifest.flashOffset == 0x300000)
    let first = manifest.devices[0]
    #expect(first.files.map(\.name) == ["/config.json", "/id.txt"])
    #expect(first.files.map(\.replaces) == [true, false])
    #expect(first.fileCount == 6)
    for device in manifest.devices {
      let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out + "/" + device.image)))
      #expect(Provisioning.sha256(bytes) == device.sha256)
      let image = try ImageMount.mount(bytes, preset: preset)
      let config = try image.contents(ofFileNamed: Array("/config.json".utf8))
      #expect(String(decoding: config, as: UTF8.self) == "{\"id\":\(device.thing.suffix(1))}\n")
    }
    // The manifest on disk is the returned value.
    let saved = try JSONDecoder().decode(ProvisionManifest.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json")))
    #expect(saved.devices.map(\.sha256) == manifest.devices.map(\.sha256))
    // A device's notes come wrapped with its name.
    #expect(log.events.contains { if case .device("thing-1", .note(let text)) = $0 { text.contains("replaced by") } else { false } })
  }

  @Test func oneFailingDeviceStopsEveryImageAndNamesItsError() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    let tooLong = String(repeating: "n", count: 40) + ".txt"
    let folder = try devicesFolder(bench, ["good": ["a.txt": "a"], "bad": [tooLong: "b"]])
    let things = try ProvisionDevices.list(folder, events: WorkflowEventsDefaults.silent)
    let out = bench.root.appendingPathComponent("images")
    #expect {
      try Provisioning(dataDir: bench.data.path, devicesFolder: folder, devices: things, outputDir: out.path,
                       pipeline: .init(dataDir: bench.data.path, preset: try bench.preset("4M1M")))
        .run(events: WorkflowEventsDefaults.silent)
    } throws: { error in
      guard case .devicesFailed(let failures, let total, _) = error as? ProvisionError else { return false }
      guard failures.count == 1, total == 2, failures[0].thing == "bad" else { return false }
      if case .namesTooLong = failures[0].error as? SPIFFSBuildError { return true }
      return false
    }
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func deviceFolderNamesThatCannotNameAFileAreRefused() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    let folder = try devicesFolder(bench, ["-rf": ["a.txt": "a"], "ok": ["a.txt": "a"]])
    #expect(throws: ProvisionError.self) { try ProvisionDevices.list(folder, events: WorkflowEventsDefaults.silent) }
    #expect(ProvisionDevices.unsafeReason("-rf") == "starts with '-'")
    #expect(ProvisionDevices.unsafeReason("thing-1") == nil)
  }
}
