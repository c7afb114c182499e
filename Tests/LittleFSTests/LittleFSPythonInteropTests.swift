import Foundation
import LittleFS
import Testing
import TestSupport

/// Our images against the real littlefs (littlefs-python 0.19.0) at each platform's device configuration:
/// it mounts them, reads every file, writes, appends, renames and deletes; our reader then lists its result
/// exactly as it does. And images the real littlefs creates from random trees, listed exactly by our reader.
@Suite(.serialized, .enabled(if: LittleFSPeer.available, "needs littlefs-python 0.19.0 in ESPFLASH_INTEROP_PYTHON (run scripts/test)"))
struct LittleFSPythonInteropTests {
  struct Configuration: Sendable, CustomStringConvertible {
    var name: String
    var format: LittleFSBuilder.Format
    var blockSize: Int
    var imageSize: Int
    var maxName: Int
    var maxPath: Int = 200
    /// The littlefs configuration of the device that mounts the image (littlefs-format.md §2).
    var device: [String: Int]
    var description: String { name }
  }

  static func esp8266Device(_ blockSize: Int, _ count: Int) -> [String: Int] {
    ["block_size": blockSize, "block_count": count, "read_size": 64, "prog_size": 64, "cache_size": 64,
     "lookahead_size": 64, "block_cycles": 16, "name_max": 32, "disk_version": 0x20000]
  }
  static let esp32Device = ["block_size": 4096, "block_count": 0, "read_size": 128, "prog_size": 128, "cache_size": 512,
                            "lookahead_size": 128, "block_cycles": 512, "name_max": 255]

  static let configurations = [
    Configuration(name: "mklittlefs-esp8266 4M1M", format: .mklittlefs(.esp8266), blockSize: 8192, imageSize: 1_024_000,
                  maxName: 31, device: esp8266Device(8192, 125)),
    Configuration(name: "mklittlefs-esp32 default.csv", format: .mklittlefs(.esp32), blockSize: 4096, imageSize: 0x160000,
                  maxName: 60, device: esp32Device),
    Configuration(name: "mklittlefs-esp32-legacy min_spiffs", format: .mklittlefs(.esp32Legacy), blockSize: 4096,
                  imageSize: 0x20000 * 4, maxName: 8, maxPath: 32, device: esp32Device),
    Configuration(name: "device esp8266 1M512", format: .device(.esp8266), blockSize: 8192, imageSize: 524_288,
                  maxName: 31, device: esp8266Device(8192, 64)),
    Configuration(name: "device esp8266 4M1M", format: .device(.esp8266), blockSize: 8192, imageSize: 1_024_000,
                  maxName: 31, device: esp8266Device(8192, 125)),
    Configuration(name: "device esp32 default.csv", format: .device(.esp32), blockSize: 4096, imageSize: 0x160000,
                  maxName: 60, device: esp32Device),
    Configuration(name: "device esp-idf 1 MiB", format: .device(.espIDF), blockSize: 4096, imageSize: 0x100000,
                  maxName: 60, device: esp32Device),
  ]

  static let seeds: [UInt64] = [1, 2, 3]

  @Test(arguments: configurations)
  func theRealLittlefsMountsReadsAndWritesOurImages(_ config: Configuration) throws {
    var operations = 0
    for seed in Self.seeds {
      let tree = RandomTree.make(seed: seed &* 7919 &+ UInt64(config.name.utf8.count), blockSize: config.blockSize,
                                 maxName: config.maxName, maxPath: config.maxPath)
      let builder = LittleFSBuilder(format: config.format, blockSize: config.blockSize, imageSize: config.imageSize,
                                    fileTimes: .own, buildTime: 1_767_225_600)
      let image = try builder.build(tree)
      let imageURL = LittleFSPeer.temporary("in.bin"), outURL = LittleFSPeer.temporary("out.bin")
      try Data(image).write(to: imageURL)
      let configURL = try LittleFSPeer.writeJSON(config.device, "config.json")
      defer { for url in [imageURL, outURL, configURL] { try? FileManager.default.removeItem(at: url) } }
      let output = try LittleFSPeer.run([LittleFSPeer.script, "mutate", configURL.path, imageURL.path, outURL.path, "\(seed)"])
      let result = try JSONDecoder().decode(LittleFSPeer.Mutation.self, from: output)
      // It read every file we wrote, with our content.
      let peerFiles = Dictionary(uniqueKeysWithValues: result.before.filter { $0.kind == "file" }.map { ($0.path, $0.sha256) })
      let ourFiles = Dictionary(uniqueKeysWithValues: tree.map { ($0.path, LittleFSFixtures.sha256($0.contents)) })
      #expect(peerFiles == ourFiles, "seed \(seed)")
      // Our reader lists our image exactly as the real littlefs does.
      #expect(try LittleFSPeer.rows(LittleFSImage(bytes: image)) == result.before, "seed \(seed)")
      // And lists the image after the real littlefs wrote to it exactly as it does.
      let mutated = try LittleFSImage(bytes: [UInt8](try Data(contentsOf: outURL)))
      let ours = try LittleFSPeer.rows(mutated)
      #expect(ours == result.after, "seed \(seed): \(ours.count) vs \(result.after.count) rows")
      #expect(mutated.check().filter { $0.severity == .error }.isEmpty, "\(mutated.check())")
      operations += result.operations
    }
    print("littlefs-python interop \(config.name): \(Self.seeds.count) trees, \(operations) write operations, listings equal")
  }

  struct PeerConfiguration: Sendable, CustomStringConvertible {
    var name: String
    var littlefs: [String: Int]
    var maxName: Int
    var description: String { name }
  }

  static let peerConfigurations = [
    PeerConfiguration(name: "ESP8266 device 1M128", littlefs: esp8266Device(4096, 64), maxName: 31),
    PeerConfiguration(name: "ESP32 device", littlefs: esp32Device.merging(["block_count": 352]) { $1 }, maxName: 60),
    PeerConfiguration(name: "ESP-IDF image step", littlefs: ["block_size": 4096, "block_count": 256, "read_size": 4096,
                      "prog_size": 4096, "cache_size": 4096, "lookahead_size": 8, "block_cycles": -1, "name_max": 64], maxName: 60),
  ]

  @Test(arguments: peerConfigurations)
  func ourReaderListsImagesTheRealLittlefsCreated(_ config: PeerConfiguration) throws {
    for seed: UInt64 in 100..<106 {
      let tree = RandomTree.make(seed: seed, blockSize: 4096, maxName: config.maxName, files: 5...30)
      let json = tree.map { file -> [String: Any] in
        ["path": file.path, "content": LittleFSFixtures.hex(file.contents), "t": Int(file.modificationTime ?? 0)]
      }
      let treeURL = try LittleFSPeer.writeJSON(json, "tree.json")
      let configURL = try LittleFSPeer.writeJSON(config.littlefs, "config.json")
      let outURL = LittleFSPeer.temporary("created.bin")
      defer { for url in [treeURL, configURL, outURL] { try? FileManager.default.removeItem(at: url) } }
      let output = try LittleFSPeer.run([LittleFSPeer.script, "create", configURL.path, treeURL.path, outURL.path])
      let expected = try JSONDecoder().decode([LittleFSPeer.Row].self, from: output)
      #expect(expected.filter { $0.kind == "file" }.count == tree.count)
      let image = try LittleFSImage(bytes: [UInt8](try Data(contentsOf: outURL)))
      #expect(try LittleFSPeer.rows(image) == expected, "seed \(seed)")
    }
    print("littlefs-python created 6 random trees at \(config.name); our reader listed each exactly")
  }
}
