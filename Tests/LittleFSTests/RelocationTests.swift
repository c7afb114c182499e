import Foundation
@testable import LittleFS
import Testing
import TestSupport

/// Folders big enough that littlefs (block_cycles 16) relocates metadata pairs and expands the superblock
/// while mklittlefs packs them: no reference image exists for these, so the result is checked by our reader
/// and, when installed, by the real littlefs.
@Suite(.serialized) struct RelocationTests {
  /// 160 inline files (30 bytes) in four folders at 1 KiB blocks (16 commits of 64 bytes per block): about
  /// 500 commits to the root pair, so pairs reach revision 17 several times. Small, so the real littlefs
  /// lists it quickly and the suite stays light for the timing-sensitive interop tests running beside it.
  static let count = 160
  static func manyFiles() -> [LittleFSInputFile] {
    (0..<count).map { i in
      LittleFSInputFile(path: "/d\(i % 4)/f\(i).txt", contents: Array(String(format: "file %05d of the big folder.\n", i).utf8),
                        modificationTime: 1_700_000_000 + Int64(i))
    }
  }

  static func build(_ profile: LittleFSToolProfile) throws -> [UInt8] {
    try LittleFSBuilder(format: .mklittlefs(profile), blockSize: 1024, imageSize: 262_144, fileTimes: .own,
                        buildTime: 1_767_225_600).build(manyFiles())
  }

  @Test(arguments: [LittleFSToolProfile.esp8266, .esp32])
  func relocatedAndExpandedImagesListEveryFile(_ profile: LittleFSToolProfile) throws {
    let image = try LittleFSImage(bytes: try Self.build(profile))
    let files = try image.list().filter { $0.kind == .file }
    #expect(files.count == Self.count)
    let expected = Dictionary(uniqueKeysWithValues: Self.manyFiles().map { ($0.path, $0.contents) })
    for entry in files { #expect(try image.contents(of: entry) == expected[entry.path], "\(entry.path)") }
    #expect(image.check().isEmpty, "\(image.check())")
    // The root moved out of {0,1} (superblock expansion) and pairs were relocated along the way.
    #expect(!image.root.contains(0) && !image.root.contains(1), "root \(image.root)")
    #expect(image.chain.count > 5)
  }

  @Test(.enabled(if: LittleFSPeer.available, "needs littlefs-python 0.19.0 in ESPFLASH_INTEROP_PYTHON (run scripts/test)"),
        arguments: [LittleFSToolProfile.esp8266, .esp32])
  func theRealLittlefsMountsThemAndKeepsWriting(_ profile: LittleFSToolProfile) throws {
    let bytes = try Self.build(profile)
    let device: [String: Int] = profile == .esp8266
      ? ["block_size": 1024, "block_count": 256, "read_size": 64, "prog_size": 64, "cache_size": 64, "lookahead_size": 64,
         "block_cycles": 16, "name_max": 32, "disk_version": 0x20000]
      : LittleFSPythonInteropTests.esp32Device.merging(["block_size": 1024]) { $1 }
    let input = LittleFSPeer.temporary("reloc-\(profile.name).bin"), out = LittleFSPeer.temporary("reloc-out.bin")
    try Data(bytes).write(to: input)
    let config = try LittleFSPeer.writeJSON(device, "reloc-config.json")
    defer { for url in [input, out, config] { try? FileManager.default.removeItem(at: url) } }
    let output = try LittleFSPeer.run([LittleFSPeer.script, "mutate", config.path, input.path, out.path, "7"])
    let result = try JSONDecoder().decode(LittleFSPeer.Mutation.self, from: output)
    #expect(result.before.filter { $0.kind == "file" }.count == Self.count)
    #expect(try LittleFSPeer.rows(LittleFSImage(bytes: bytes)) == result.before)
    #expect(try LittleFSPeer.rows(LittleFSImage(bytes: [UInt8](try Data(contentsOf: out)))) == result.after)
  }
}
