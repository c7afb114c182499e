import Foundation
import SPIFFS
import Testing

/// `fs build`: the refusals that happen before the builder runs.
@Suite struct FSBuildCommandTests {
  typealias S = FSTestSupport

  @Test func buildNeedsALayoutAndAnExistingFolder() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out.bin").path
    let noLayout = try S.run(["fs", "build", S.input("small").path, "-o", out])
    #expect(noLayout.status == 64)
    #expect(noLayout.stderr.contains("--layout"))
    let noFolder = try S.run(["fs", "build", folder.appendingPathComponent("missing").path, "-o", out, "--layout", "1M128"])
    #expect(noFolder.status == 66)
    let noCSV = try S.run(["fs", "build", S.input("small").path, "-o", out, "--partitions", "/nonexistent.csv"])
    #expect(noCSV.status == 66)
    let badSize = try S.run(["fs", "build", S.input("small").path, "-o", out, "--size", "12Q", "--block", "4096",
                             "--platform", "esp8266"])
    #expect(badSize.status == 64)
    let tooFewBlocks = try S.run(["fs", "build", S.input("small").path, "-o", out, "--size", "8K", "--block", "4096",
                                  "--platform", "esp8266"])
    #expect(tooFewBlocks.status == 64)
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func tooLongNamesAreListedWithTheirLengthAndNothingIsWritten() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: data.appendingPathComponent("static/images"), withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: data.appendingPathComponent("static/images/apple-touch-icon.png").path,
                                       contents: Data([1, 2, 3]))
    _ = FileManager.default.createFile(atPath: data.appendingPathComponent("exactly_31_bytes_long_name.txt").path,
                                       contents: Data([4]))
    _ = FileManager.default.createFile(atPath: data.appendingPathComponent("exactly_32_bytes_long_name_.txt").path,
                                       contents: Data([5]))
    let out = folder.appendingPathComponent("out.bin").path
    let run = try S.run(["fs", "build", data.path, "-o", out, "--layout", "4M1M"])
    #expect(run.status == 65)
    #expect(run.stderr.contains("/static/images/apple-touch-icon.png (35 bytes)"), "\(run.stderr)")
    #expect(run.stderr.contains("/exactly_32_bytes_long_name_.txt (32 bytes)"))
    #expect(!run.stderr.contains("/exactly_31_bytes_long_name.txt ("))
    #expect(run.stderr.contains("longer than 31 bytes"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func dataLargerThanTheImageIsRefusedBeforeReadingWithABiggerPreset() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out.bin").path
    // input/basic holds 218 KB; 1M64 holds 64 KiB.
    let run = try S.run(["fs", "build", S.input("basic").path, "-o", out, "--layout", "1M64"])
    #expect(run.status == 65)
    #expect(run.stderr.contains("do not fit 1M64"))
    #expect(run.stderr.contains("--layout 1M256"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }
}
