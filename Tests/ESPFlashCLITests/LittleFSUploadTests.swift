import Foundation
import Testing
import TestSupport

/// `fs upload --fs littlefs` and `fs download` of a LittleFS partition through the virtual board.
@Suite struct LittleFSUploadTests {
  @Test func esp32UploadThenDownloadListsAndExtractsTheSameFolder() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let port = bench.port("esp32")
    let upload = try FlashCLI.run(["fs", "upload", bench.data.path, "--fs", "littlefs", "--layout", "esp32-default",
                                   "--port", port, "--stub", "none", "-o", bench.path("saved.bin")])
    #expect(upload.status == 0, "seed \(bench.seed): \(upload.stderr)")
    #expect(upload.stdout.contains("0x290000 esp32-default LittleFS image (5 files, 1441792 bytes) on ESP32: written, verified"),
            "\(upload.stdout)")
    // The partition holds exactly what `fs build --fs littlefs` makes of the folder; the rest stays erased.
    let built = try bench.built(layout: ["--layout", "esp32-default", "--fs", "littlefs"])
    let board = try bench.boardBytes()
    let range = 0x290000..<(0x290000 + 0x160000)
    #expect(firstDifference(board[range], built) == nil, "seed \(bench.seed)")
    #expect(board[..<range.lowerBound].allSatisfy { $0 == 0xFF })

    let list = try FlashCLI.run(["fs", "download", "--layout", "esp32-default", "--port", port, "--stub", "none"])
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stderr.contains("file system: LittleFS"))
    for name in ["/index.html", "/config.json", "/www/app.js", "/www/img/logo.bin", "/empty.txt"] {
      #expect(list.stdout.contains(name), "listing lacks \(name): \(list.stdout)")
    }
    let out = bench.path("back")
    let extract = try FlashCLI.run(["fs", "download", "--layout", "esp32-default", "--port", port, "--stub", "none",
                                    "--extract", out, "--json"])
    #expect(extract.status == 0, "\(extract.stderr)")
    #expect(try UploadBench.snapshot(URL(fileURLWithPath: out)) == UploadBench.snapshot(bench.data))
  }

  @Test func esp8266ROMUploadWritesTheLittleFSPartition() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let upload = try FlashCLI.run(["fs", "upload", bench.data.path, "--fs", "littlefs", "--layout", "4M1M", "--port",
                                   bench.port("esp8266"), "--stub", "none", "--no-progress"])
    #expect(upload.status == 0, "seed \(bench.seed): \(upload.stderr)")
    #expect(upload.stdout.contains("LittleFS image (5 files, 1024000 bytes)"), "\(upload.stdout)")
    let built = try bench.built(layout: ["--layout", "4M1M", "--fs", "littlefs"])
    let board = try bench.boardBytes()
    #expect(firstDifference(board[0x300000..<0x300000 + 1_024_000], built) == nil, "seed \(bench.seed)")
  }

  static let stubDirectory: String? = StubForTests.directory

  @Test(.enabled(if: stubDirectory != nil, "the ESP8266 ROM cannot read flash; needs esptool's stub (run scripts/test)"))
  func esp8266DownloadWithTheStubReadsTheLittleFSBack() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let env = ["ESPFLASH_STUB_DIR": Self.stubDirectory ?? ""]
    let port = bench.port("esp8266")
    let upload = try FlashCLI.run(["fs", "upload", bench.data.path, "--fs", "littlefs", "--layout", "4M1M", "--port", port,
                                   "--no-progress"], environment: env)
    #expect(upload.status == 0, "\(upload.stderr)")
    #expect(upload.stdout.contains("written, verified"), "\(upload.stdout)")
    let out = bench.path("back")
    let download = try FlashCLI.run(["fs", "download", "--layout", "4M1M", "--port", port, "--extract", out],
                                    environment: env)
    #expect(download.status == 0, "\(download.stderr)")
    #expect(try UploadBench.snapshot(URL(fileURLWithPath: out)) == UploadBench.snapshot(bench.data))
  }
}
