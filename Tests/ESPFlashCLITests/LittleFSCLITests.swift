import Foundation
import Testing
import TestSupport

/// The fs commands on LittleFS: build (both formats), the reading commands detecting the file system,
/// refusals with their hints, upload and download through the virtual board.
@Suite struct LittleFSCLITests {
  typealias S = FSTestSupport
  static let littlefsData = Repository.testdata("littlefs")

  @Test func buildThenEveryReadingCommandDetectsLittleFS() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = Self.littlefsData.appendingPathComponent("input/tiny")
    let out = folder.appendingPathComponent("lfs.bin").path
    let build = try S.run(["fs", "build", input.path, "-o", out, "--fs", "littlefs", "--layout", "1M128"])
    #expect(build.status == 0, "\(build.stderr)")
    #expect(build.text.contains("/certs/ca.pem"))
    #expect(build.stderr.contains("1M128: esp8266, offset 0xDB000, size 0x20000, 32 blocks of 4096"))
    let ls = try S.run(["fs", "ls", out])
    #expect(ls.status == 0 && ls.stderr.contains("file system: LittleFS (disk version 2.0, 32 blocks of 4096, name_max 32)"))
    #expect(ls.text.contains("/www/ümlaut file.txt"))
    let cat = try S.run(["fs", "cat", out, "/config.json"])
    #expect(cat.text == (try String(contentsOf: input.appendingPathComponent("config.json"), encoding: .utf8)))
    let check = try S.run(["fs", "check", out])
    #expect(check.status == 0 && check.text.contains("0 error(s), 0 warning(s) in 19 files"), "\(check.text)")
    let info = try S.run(["fs", "info", out, "--json"])
    #expect(info.text.contains("littlefs"), "\(info.text)")
    let extracted = folder.appendingPathComponent("out")
    let extract = try S.run(["fs", "extract", out, extracted.path])
    #expect(extract.status == 0, "\(extract.stderr)")
    for name in ["config.json", "certs/device-key.pem", "www/css/style.css", "www/ümlaut file.txt"] {
      #expect(try Data(contentsOf: extracted.appendingPathComponent(name)) == Data(contentsOf: input.appendingPathComponent(name)))
    }
    // SPIFFS images still read as SPIFFS, and say so.
    let spiffs = try S.run(["fs", "ls", S.image("esp8266_4M1M_basic")])
    #expect(spiffs.status == 0 && spiffs.stderr.contains("file system: SPIFFS"))
  }

  @Test func mklittlefsFormatReproducesTheReferenceImageFromAFolder() throws {
    // The tiny vector: mklittlefs-esp8266, sorted order (the folder walk's order), per-file mtimes, root time.
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("tiny")
    try FileManager.default.copyItem(at: Self.littlefsData.appendingPathComponent("input/tiny"), to: data)
    let mtimes = try String(contentsOf: Self.littlefsData.appendingPathComponent("mtimes/tiny.txt"), encoding: .utf8)
    for line in mtimes.split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1)
      try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(parts[0])!)],
                                            ofItemAtPath: data.appendingPathComponent(String(parts[1])).path)
    }
    let out = folder.appendingPathComponent("tiny.bin").path
    let run = try S.run(["fs", "build", data.path, "-o", out, "--fs", "littlefs", "--format", "mklittlefs",
                         "--file-times", "own", "--layout", "1M128"], environment: ["SOURCE_DATE_EPOCH": "1767225600"])
    #expect(run.status == 0, "\(run.stderr)")
    let expected = try Data(contentsOf: Self.littlefsData.appendingPathComponent("images/esp8266_1M128_tiny.bin"))
    #expect(firstDifference(try Data(contentsOf: URL(fileURLWithPath: out)), expected) == nil)
  }

  @Test func tooBigNamesTheFileAndALayoutThatFits() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("x.bin").path
    // The small tree does not fit 128 KiB as LittleFS (MANIFEST): refused, nothing written, a layout named.
    let run = try S.run(["fs", "build", Self.littlefsData.appendingPathComponent("input/small").path, "-o", out,
                         "--fs", "littlefs", "--layout", "1M128"])
    #expect(run.status == 65, "\(run.stderr)")
    #expect(run.stderr.contains("do not fit LittleFS 1M128"), "\(run.stderr)")
    #expect(run.stderr.contains("--layout 1M144") && run.stderr.contains("would hold them"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
    // A 33-byte name is refused for the ESP8266 (name_max 32).
    let data = folder.appendingPathComponent("long")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try Data([1]).write(to: data.appendingPathComponent(String(repeating: "n", count: 33)))
    let long = try S.run(["fs", "build", data.path, "-o", out, "--fs", "littlefs", "--layout", "4M1M"])
    #expect(long.status == 65 && long.stderr.contains("is 33 bytes, this configuration allows 32 (name_max)"), "\(long.stderr)")
    let esp32 = try S.run(["fs", "build", data.path, "-o", out, "--fs", "littlefs", "--layout", "esp32-default"])
    #expect(esp32.status == 0, "\(esp32.stderr)")
    // Format and file system must agree.
    let wrong = try S.run(["fs", "build", data.path, "-o", out, "--format", "mklittlefs", "--layout", "4M1M"])
    #expect(wrong.status == 64)
  }

  @Test func aFATPartitionIsNamedAndNotRead() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var bytes = [UInt8](repeating: 0xFF, count: 0x20000)
    // A FAT boot sector at the second 4 KiB sector (wear levelling moves sectors around).
    for i in 4096..<4608 { bytes[i] = 0 }
    bytes[4096 + 0x36..<4096 + 0x3B] = ArraySlice(Array("FAT16".utf8))
    bytes[4096 + 510] = 0x55
    bytes[4096 + 511] = 0xAA
    let path = folder.appendingPathComponent("ffat.bin")
    try Data(bytes).write(to: path)
    let run = try S.run(["fs", "ls", path.path])
    #expect(run.status == 65)
    #expect(run.stderr.contains("FAT file system (ESP32 FFat): not supported yet"), "\(run.stderr)")
  }

  @Test func aLittleFSFolderWithAnExpiredCertificateIsRefusedLikeSPIFFS() throws {
    let (folder, data) = try CredentialFixtures.dataFolder(["expired/cert.der", "expired/private.der", "expired/AmazonRootCA1.pem"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out.bin").path
    let run = try S.run(["fs", "build", data.path, "-o", out, "--fs", "littlefs", "--layout", "4M1M"])
    #expect(run.status == 65 && run.stderr.contains("[validity.expired]"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}
