import ESPLoader
import Foundation
import Testing
import TestSupport

/// `fs upload` / `fs download` end to end: the built binary against the virtual board (`sim://…&image=FILE`),
/// checking the board's flash file directly where the loader cannot read back.
@Suite struct FSUploadTests {
  static let esp32Default = (offset: 0x290000, size: 0x160000)
  static let esp8266_4M1M = (offset: 0x300000, size: 0xFA000)

  @Test func esp32UploadThenDownloadListsAndExtractsTheSameFolder() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let port = bench.port("esp32")
    let upload = try FlashCLI.run(["fs", "upload", bench.data.path, "--layout", "esp32-default", "--port", port,
                                   "--stub", "none", "-o", bench.path("saved.bin")])
    #expect(upload.status == 0, "seed \(bench.seed): \(upload.stderr)")
    #expect(upload.stdout.contains("0x290000 esp32-default SPIFFS image (5 files, 1441792 bytes) on ESP32: written, verified"),
            "\(upload.stdout)")
    #expect(upload.stderr.contains("[SPIFFS] offset  : 0x290000"))
    #expect(upload.stderr.contains("[SPIFFS] image   : \(bench.path("saved.bin"))"))

    // The partition on the board is exactly what `fs build` makes of the folder; the rest stays erased.
    let built = try bench.built(layout: ["--layout", "esp32-default"])
    let board = try bench.boardBytes()
    let range = Self.esp32Default.offset..<(Self.esp32Default.offset + Self.esp32Default.size)
    #expect(built.count == Self.esp32Default.size)
    #expect(firstDifference(board[range], built) == nil, "seed \(bench.seed)")
    #expect(board[..<range.lowerBound].allSatisfy { $0 == 0xFF } && board[range.upperBound...].allSatisfy { $0 == 0xFF })
    #expect(firstDifference(try Data(contentsOf: URL(fileURLWithPath: bench.path("saved.bin"))), built) == nil)

    let list = try FlashCLI.run(["fs", "download", "--layout", "esp32-default", "--port", port, "--stub", "none"])
    #expect(list.status == 0, "\(list.stderr)")
    for name in ["/index.html", "/config.json", "/www/app.js", "/www/img/logo.bin", "/empty.txt"] {
      #expect(list.stdout.contains(name), "listing lacks \(name): \(list.stdout)")
    }
    #expect(list.stderr.contains("5 files"))

    let out = bench.root.appendingPathComponent("back")
    let extract = try FlashCLI.run(["fs", "download", "--layout", "esp32-default", "--port", port, "--stub", "none",
                                    "--extract", out.path, "-o", bench.path("part.bin")])
    #expect(extract.status == 0, "\(extract.stderr)")
    #expect(extract.stdout.isEmpty, "no listing unless asked once -o/--extract are given: \(extract.stdout)")
    #expect(try folderDifference(out, bench.data) == nil, "seed \(bench.seed)")
    #expect(firstDifference(try Data(contentsOf: URL(fileURLWithPath: bench.path("part.bin"))), built) == nil)
  }

  @Test func uploadJSONReportsTheVerifiedDigestOfTheBuiltImage() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let run = try FlashCLI.run(["fs", "upload", bench.data.path, "--layout", "esp32-min_spiffs", "--port",
                                bench.port("esp32"), "--stub", "none", "--json", "--no-progress"])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let built = try bench.built(layout: ["--layout", "esp32-min_spiffs"])
    #expect(object["verified"] as? Bool == true)
    #expect(object["md5"] as? String == Flasher.md5Hex(built))
    #expect(object["address"] as? String == "0x3d0000")
    #expect(object["size"] as? Int == built.count)
    #expect(object["chip"] as? String == "esp32")
    #expect((object["files"] as? [[String: Any]])?.compactMap { $0["name"] as? String }.contains("/www/img/logo.bin") == true)
  }

  @Test(arguments: ["compact", "mkspiffs"])
  func esp8266ROMUploadWritesTheWholePartitionAndSaysItIsNotVerified(format: String) throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    // An old file system's bytes in the partition: a compact image's unused tail must still end up 0xFF.
    let (offset, size) = Self.esp8266_4M1M
    let before = try bench.fillBoard(size: 4 * UploadBench.mib) { ($0 >= offset && $0 < offset + size) ? 0x00 : UInt8($0 % 251) }
    let run = try FlashCLI.run(["fs", "upload", bench.data.path, "--layout", "4M1M", "--format", format, "--port",
                                bench.port("esp8266"), "--stub", "none", "--no-progress"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("0x300000 4M1M SPIFFS image (5 files, 1024000 bytes) on ESP8266: written, NOT verified"),
            "\(run.stdout)")
    #expect(run.stderr.contains("NOT verified: the ESP8266 ROM loader has no MD5 command"))
    let built = try bench.built(layout: ["--layout", "4M1M"], format: format)
    let board = try bench.boardBytes()
    #expect(firstDifference(board[offset..<(offset + size)], built) == nil, "seed \(bench.seed)")
    // Nothing before the partition changed; after it, only what the ESP8266 ROM's erase quirk may take.
    #expect(firstDifference(board[..<offset], before[..<offset]) == nil)
    let overErase = Flasher.esp8266ROMOverErase(offset: UInt32(offset), size: size)
    let untouchedFrom = overErase?.upperBound ?? (offset + size)
    #expect(firstDifference(board[untouchedFrom...], before[untouchedFrom...]) == nil)
  }

  @Test func aLayoutOfTheOtherChipFamilyIsRefusedBeforeWriting() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let before = try bench.fillBoard(size: 4 * UploadBench.mib) { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    let detected = try FlashCLI.run(["fs", "upload", bench.data.path, "--layout", "4M1M", "--port", bench.port("esp32"),
                                     "--stub", "none"])
    #expect(detected.status == 64, "\(detected.stderr)")
    #expect(detected.stderr.contains("layout 4M1M is an ESP8266 layout, but the board is an ESP32"))
    #expect(detected.stderr.contains("hint: ESP32 layouts for 4MB flash: esp32-default"))
    #expect(firstDifference(try bench.boardBytes(), before) == nil)

    // With --chip the refusal comes before anything is built or opened.
    let named = try FlashCLI.run(["fs", "upload", bench.data.path, "--layout", "esp32-default", "--chip", "esp8266",
                                  "--port", bench.port("esp8266")])
    #expect(named.status == 64)
    #expect(named.stderr.contains("layout esp32-default is an ESP32-family (esp32) layout, but the board is an ESP8266"))
    #expect(!named.stderr.contains("[SPIFFS]") && !named.stderr.contains("Connecting"))

    let download = try FlashCLI.run(["fs", "download", "--layout", "esp32-default", "--port", bench.port("esp8266"),
                                     "--stub", "none"])
    #expect(download.status == 64, "\(download.stderr)")
    #expect(download.stderr.contains("ESP8266 layouts for 4MB flash: 4M1M, 4M2M, 4M3M"))
    #expect(firstDifference(try bench.boardBytes(), before) == nil)
  }

  @Test func aPartitionPastTheEndOfTheFlashIsRefused() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let before = try bench.fillBoard(size: 4 * UploadBench.mib) { UInt8($0 % 253) }
    let run = try FlashCLI.run(["fs", "upload", bench.data.path, "--layout", "16M14M", "--port", bench.port("esp8266"),
                                "--stub", "none"])
    #expect(run.status == 64, "\(run.stderr)")
    #expect(run.stderr.contains("the 16M14M partition ends at 0xFFA000 (0x200000 + 0xDFA000), past the end of the board's 4MB flash"))
    #expect(firstDifference(try bench.boardBytes(), before) == nil)
    let custom = try FlashCLI.run(["fs", "upload", bench.data.path, "--size", "0x40000", "--block", "4096", "--platform",
                                   "esp32", "--offset", "0x3D0000", "--port", bench.port("esp32"), "--stub", "none"])
    #expect(custom.status == 64)
    #expect(custom.stderr.contains("ends at 0x410000"))
    #expect(firstDifference(try bench.boardBytes(), before) == nil)
  }

  @Test func customLayoutsNeedAnAlignedOffset() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let geometry = ["--size", "0x20000", "--block", "4096", "--platform", "esp32"]
    let missing = try FlashCLI.run(["fs", "upload", bench.data.path] + geometry + ["--port", bench.port("esp32")])
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("pass --offset ADDR"))
    let odd = try FlashCLI.run(["fs", "upload", bench.data.path] + geometry + ["--offset", "0x3D0100", "--port", bench.port("esp32")])
    #expect(odd.status == 64)
    #expect(odd.stderr.contains("not a multiple of 0x1000"))
    #expect(!FileManager.default.fileExists(atPath: bench.board.path), "no board was opened")

    let ok = try FlashCLI.run(["fs", "upload", bench.data.path] + geometry
                              + ["--offset", "0x3D0000", "--port", bench.port("esp32"), "--stub", "none"])
    #expect(ok.status == 0, "\(ok.stderr)")
    let built = try bench.built(layout: geometry)
    #expect(firstDifference(try bench.boardBytes()[0x3D0000..<0x3F0000], built) == nil)
    let back = bench.root.appendingPathComponent("back")
    let download = try FlashCLI.run(["fs", "download"] + geometry + ["--offset", "0x3D0000", "--port", bench.port("esp32"),
                                     "--stub", "none", "--extract", back.path])
    #expect(download.status == 0, "\(download.stderr)")
    #expect(try folderDifference(back, bench.data) == nil)
  }

  @Test func downloadChecksItsOptionsAndReportsAnErasedPartition() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let force = try FlashCLI.run(["fs", "download", "--layout", "esp32-default", "--force", "--port", bench.port("esp32")])
    #expect(force.status == 64)
    #expect(force.stderr.contains("--force only applies to --extract"))
    // A fresh board: -o still saves the (erased) partition, the listing explains why it does not mount.
    let erased = try FlashCLI.run(["fs", "download", "--layout", "esp32-min_spiffs", "--port", bench.port("esp32"),
                                   "--stub", "none", "-o", bench.path("part.bin"), "--list"])
    #expect(erased.status == 65, "\(erased.stderr)")
    let saved = [UInt8](try Data(contentsOf: URL(fileURLWithPath: bench.path("part.bin"))))
    #expect(saved.count == 0x20000 && saved.allSatisfy { $0 == 0xFF })
  }

  @Test func esp8266ROMCannotReadThePartitionBack() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let run = try FlashCLI.run(["fs", "download", "--layout", "4M1M", "--port", bench.port("esp8266"), "--stub", "none",
                                "-o", bench.path("part.bin")])
    #expect(run.status == 69, "\(run.stderr)")
    #expect(run.stderr.contains("error: reading flash is not possible with the ESP8266 ROM loader"))
    #expect(run.stderr.contains("hint: use the flasher stub"))
    #expect(!FileManager.default.fileExists(atPath: bench.path("part.bin")))
  }

  @Test(.enabled(if: StubForTests.available, "needs esptool's flasher stub (scripts/test installs esptool in .interop-venv)"))
  func esp8266StubUploadVerifiesAndDownloadGivesTheFolderBack() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let env = ["ESPFLASH_STUB_DIR": StubForTests.directory ?? ""]
    let port = bench.port("esp8266")
    let upload = try FlashCLI.run(["fs", "upload", bench.data.path, "--layout", "4M1M", "--port", port, "--no-progress"],
                                  environment: env)
    #expect(upload.status == 0, "\(upload.stderr)")
    #expect(upload.stderr.contains("Stub running."))
    #expect(upload.stdout.contains("on ESP8266: written, verified (MD5 "), "\(upload.stdout)")
    let built = try bench.built(layout: ["--layout", "4M1M"])
    let (offset, size) = Self.esp8266_4M1M
    #expect(firstDifference(try bench.boardBytes()[offset..<(offset + size)], built) == nil)

    let back = bench.root.appendingPathComponent("back")
    let download = try FlashCLI.run(["fs", "download", "--layout", "4M1M", "--port", port, "--list", "--extract", back.path,
                                     "-o", bench.path("part.bin"), "--no-progress"], environment: env)
    #expect(download.status == 0, "\(download.stderr)")
    #expect(download.stdout.contains("/www/img/logo.bin"))
    #expect(try folderDifference(back, bench.data) == nil, "seed \(bench.seed)")
    #expect(firstDifference(try Data(contentsOf: URL(fileURLWithPath: bench.path("part.bin"))), built) == nil)
  }
}
