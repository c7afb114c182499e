import Foundation
import SPIFFS
import Testing

/// `espflash-swift fs …` end to end: the built binary on the reference images.
@Suite struct FSCommandTests {
  typealias S = FSTestSupport

  @Test func helpListsTheSubcommandsAndExitsZero() throws {
    let run = try S.run(["fs", "--help"])
    #expect(run.status == 0)
    for word in ["build", "ls", "extract", "cat", "check", "info", "layouts"] { #expect(run.text.contains(word)) }
  }

  @Test func usageErrorsExit64AndMissingInputs66() throws {
    #expect(try S.run(["fs", "ls", "--bogus", S.image("esp8266_1M128_small")]).status == 64)
    let unknown = try S.run(["fs", "ls", S.image("esp8266_1M128_small"), "--layout", "4M9M"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("unknown layout '4M9M'"))
    let missing = try S.run(["fs", "ls", "/nonexistent/image.bin"])
    #expect(missing.status == 66)
    #expect(missing.stderr.hasPrefix("error: no such file"))
  }

  @Test func lsPrintsTheListingInReaddirOrder() throws {
    let run = try S.run(["fs", "ls", S.image("esp8266_1M128_gcfill")])
    #expect(run.status == 0)
    let names = run.text.split(separator: "\n").dropFirst().map { String($0.split(separator: " ").last ?? "") }
    #expect(names == ["/f06.bin", "/f07.bin", "/f00.bin", "/f09.bin", "/f01.bin", "/f11.bin", "/f02.bin",
                      "/readme.txt", "/f10.bin", "/f03.bin", "/f04.bin", "/f08.bin", "/f05.bin"])
    #expect(run.stderr.contains("detected"))
  }

  @Test func lsJSONShape() throws {
    let run = try S.run(["fs", "ls", "--json", S.image("esp32_default_basic"), "--layout", "esp32-default"])
    #expect(run.status == 0)
    let array = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [[String: Any]])
    #expect(array.count == 21)
    let blob = try #require(array.first { $0["name"] as? String == "/blob.bin" })
    #expect(blob["size"] as? Int == 153_600)
    #expect(blob["objectID"] as? Int == 0x15)
    #expect(blob["headerPage"] as? Int == 1309)
    #expect((blob["pages"] as? Int ?? 0) > 600)
    #expect(blob["nameHex"] == nil && blob["mtime"] == nil)
  }

  @Test func infoJSONMatchesTheMountStatistics() throws {
    let run = try S.run(["fs", "info", "--json", S.image("esp8266_4M1M_livedin"), "--layout", "4M1M"])
    #expect(run.status == 0)
    let info = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
    #expect(info["blocks"] as? Int == 125)
    #expect(info["layout"] as? String == "4M1M")
    #expect(info["totalBytes"] as? Int == 957_314)
    #expect(info["eraseCountMax"] as? Int == 133)
    #expect(info["files"] as? Int == 19)
  }

  @Test func checkIsCleanOnTheVectorsAndFailsOnDamage() throws {
    for image in ["esp8266_4M1M_livedin", "esp32_default_livedin", "esp8266_1M128_basic_overflow"] {
      let run = try S.run(["fs", "check", S.image(image)])
      #expect(run.status == 0, "\(image): \(run.text)")
      #expect(run.text.contains("0 error(s), 0 warning(s)"))
    }
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: S.image("esp8266_1M128_small"))))
    bytes[256 + 46] ^= 0x01   // the first data-page pointer of /.hidden.txt
    let damaged = folder.appendingPathComponent("damaged.bin")
    try Data(bytes).write(to: damaged)
    let run = try S.run(["fs", "check", damaged.path, "--json"])
    #expect(run.status == 65)
    let report = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
    #expect(report["consistent"] as? Bool == false)
    let problems = try #require(report["problems"] as? [[String: Any]])
    #expect(problems.contains { $0["kind"] as? String == "indexPointsAtWrongPage" && $0["objectID"] as? Int == 1 })
  }

  @Test func wrongLayoutIsRefusedWithAHintNamingTheRightOne() throws {
    let run = try S.run(["fs", "ls", S.image("esp32_default_basic"), "--platform", "esp8266", "--block", "4096",
                         "--size", "0x160000"])
    #expect(run.status == 65)
    #expect(run.stderr.contains("--layout esp32-default"), "\(run.stderr)")
    let block = try S.run(["fs", "ls", S.image("esp8266_4M1M_basic"), "--layout", "4M1M@2.4.2"])
    #expect(block.status == 0, "0xFB000 layout reads a 0xFA000 image: \(block.stderr)")
  }

  @Test func catWritesRawBytes() throws {
    let run = try S.run(["fs", "cat", S.image("esp8266_4M1M_basic"), "/certs/device-key.der"])
    #expect(run.status == 0)
    #expect(run.stdout == (try Data(contentsOf: S.input("basic").appendingPathComponent("certs/device-key.der"))))
    let utf8 = try S.run(["fs", "cat", S.image("esp8266_1M128_small"), "www/ümlaut file.txt"])
    #expect(utf8.stdout == (try Data(contentsOf: S.input("small").appendingPathComponent("www/ümlaut file.txt"))))
    #expect(try S.run(["fs", "cat", S.image("esp8266_1M128_small"), "/blob.bin"]).status == 66)
  }

  @Test func extractRecreatesTheTreeAndRefusesToOverwrite() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out/nested")
    let run = try S.run(["fs", "extract", S.image("esp8266_1M128_small"), out.path])
    #expect(run.status == 0, "\(run.stderr)")
    let input = S.input("small")
    let walker = FileManager.default.enumerator(atPath: input.path)
    var count = 0
    while let relative = walker?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: input.appendingPathComponent(relative).path, isDirectory: &isDirectory)
      if isDirectory.boolValue { continue }
      count += 1
      #expect(FileManager.default.contents(atPath: out.appendingPathComponent(relative).path)
              == FileManager.default.contents(atPath: input.appendingPathComponent(relative).path), "\(relative)")
    }
    #expect(count == 20)
    let again = try S.run(["fs", "extract", S.image("esp8266_1M128_small"), out.path])
    #expect(again.status == 74)
    #expect(again.stderr.contains("--force"))
    #expect(try S.run(["fs", "extract", "--force", S.image("esp8266_1M128_small"), out.path]).status == 0)
  }

  @Test func extractLeavesNoPartialFileAndNoTemporaryNames() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var image = S.craftImage([
      (Array("/sub/broken.bin".utf8), [UInt8](repeating: 0x41, count: 600)),
      (Array("/sub/good.txt".utf8), Array("good".utf8)),
      (Array("/top.txt".utf8), Array("top".utf8)),
    ])
    let layout = SPIFFSLayout(platform: .esp8266, imageSize: 0x20000, blockSize: 4096)
    let broken = try #require(try SPIFFSImage(bytes: image, layout: layout).entry(named: Array("/sub/broken.bin".utf8)))
    // Span 1 of the broken file loses its data page: reading it fails half-way.
    let slot = broken.headerPage * 256 + layout.indexHeaderSize + 2
    image[slot] = 0xFF
    image[slot + 1] = 0xFF
    let imagePath = folder.appendingPathComponent("broken.bin")
    try Data(image).write(to: imagePath)
    // A new folder appears once, with every readable file; nothing of the broken one, no staging folder.
    let out = folder.appendingPathComponent("out")
    let run = try S.run(["fs", "extract", imagePath.path, out.path])
    #expect(run.status == 65 && run.stderr.contains("failed \"/sub/broken.bin\""), "\(run.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["broken.bin", "out"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["sub", "top.txt"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("sub").path) == ["good.txt"])
    // Into an existing folder: files replaced through temporary names, none left behind.
    let again = try S.run(["fs", "extract", "--force", imagePath.path, out.path])
    #expect(again.status == 65)
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("sub").path) == ["good.txt"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["sub", "top.txt"])
  }

  @Test func extractNeverWritesOutsideTheFolder() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let image = S.craftImage([
      (Array("/../evil".utf8), Array("pwned".utf8)),
      (Array("/abs".utf8), Array("absolute".utf8)),
      (Array("//etc/passwd".utf8), Array("root".utf8)),
      (Array("/ok.txt".utf8), Array("fine".utf8)),
      (Array("/a/../../../x".utf8), Array("up".utf8)),
      (Array("/ctl\u{7}.txt".utf8), Array("bell".utf8)),
    ])
    let spiffs = try SPIFFSImage(bytes: image, layout: SPIFFSLayout(platform: .esp8266, imageSize: 0x20000, blockSize: 4096))
    #expect(spiffs.check().problems.isEmpty)
    let imagePath = folder.appendingPathComponent("crafted.bin")
    try Data(image).write(to: imagePath)
    let out = folder.appendingPathComponent("inside")
    // A symlink inside the target pointing outside must not be followed.
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent("etc").path,
                                               withDestinationPath: folder.path)
    let run = try S.run(["fs", "extract", imagePath.path, out.path])
    #expect(run.status == 65)
    #expect(run.stderr.contains("refused \"/../evil\""))
    #expect(run.stderr.contains("refused \"/a/../../../x\""))
    #expect(run.stderr.contains("symlink"))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("evil").path))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x").path))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("passwd").path))
    #expect(FileManager.default.contents(atPath: out.appendingPathComponent("abs").path) == Data("absolute".utf8))
    #expect(FileManager.default.contents(atPath: out.appendingPathComponent("ok.txt").path) == Data("fine".utf8))
    #expect(FileManager.default.contents(atPath: out.appendingPathComponent("ctl_.txt").path) == Data("bell".utf8))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(leftovers == ["crafted.bin", "inside"])
  }

  @Test func layoutsJSONListsThePresets() throws {
    let run = try S.run(["fs", "layouts", "--json"])
    #expect(run.status == 0)
    let list = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [[String: Any]])
    let fourM = try #require(list.first { $0["name"] as? String == "4M1M" })
    #expect(fourM["flashOffset"] as? Int == 0x300000 && fourM["size"] as? Int == 0xFA000 && fourM["block"] as? Int == 8192)
    #expect(fourM["platform"] as? String == "esp8266" && fourM["page"] as? Int == 256)
    #expect(list.contains { $0["name"] as? String == "esp32-default" })
    let text = try S.run(["fs", "layouts"])
    #expect(text.text.contains("4M1M@2.5") && text.text.contains("0xFB000"))
    // Every name, the longest too (it used to print as `esp32-default_16MB@coredumpesp32`), stays apart from
    // its platform.
    let names = Set(list.compactMap { $0["name"] as? String })
    let platforms = Set(list.compactMap { $0["platform"] as? String })
    #expect(names.contains("esp32-default_16MB@coredump"))
    let rows = text.text.split(separator: "\n").dropFirst()
    #expect(rows.count == list.count)
    for row in rows {
      let words = row.split(separator: " ", maxSplits: 2)
      #expect(words.count == 3 && names.contains(String(words[0])) && platforms.contains(String(words[1])),
              "\(row)")
    }
  }
}

@Suite struct FSDetectionCommandTests {
  typealias S = FSTestSupport

  @Test func anAmbiguousImageAsksForALayout() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let size = 16 * 65536
    var bytes = [UInt8](repeating: 0xFF, count: size)
    for (layout, count) in [(SPIFFSLayout(platform: .esp8266, imageSize: size, blockSize: 8192), 128),
                            (SPIFFSLayout(platform: .esp32, imageSize: size, blockSize: 65536), 16)] {
      for block in 0..<count {
        let o = block * layout.blockSize + layout.magicOffsetInBlock
        bytes[o] = UInt8(layout.magic(forBlock: block) & 0xFF)
        bytes[o + 1] = UInt8(layout.magic(forBlock: block) >> 8)
      }
    }
    let path = folder.appendingPathComponent("ambiguous.bin")
    try Data(bytes).write(to: path)
    let run = try S.run(["fs", "ls", path.path])
    #expect(run.status == 64)
    #expect(run.stderr.contains("several layouts"))
    #expect(run.stderr.contains("--platform esp8266 --block 8192"))
    let settled = try S.run(["fs", "info", path.path, "--platform", "esp8266"])
    #expect(settled.status == 0, "\(settled.stderr)")
    #expect(settled.text.contains("0 used"))
  }

  @Test func aWholeFlashDumpIsReadAtThePresetOffset() throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var flash = [UInt8](repeating: 0xFF, count: 1 << 20)
    let image = [UInt8](try Data(contentsOf: URL(fileURLWithPath: S.image("esp8266_1M128_small"))))
    flash.replaceSubrange(0xDB000..<0xDB000 + image.count, with: image)
    let path = folder.appendingPathComponent("flash.bin")
    try Data(flash).write(to: path)
    let byPreset = try S.run(["fs", "ls", path.path, "--layout", "1M128", "--json"])
    #expect(byPreset.status == 0, "\(byPreset.stderr)")
    #expect(byPreset.stderr.contains("0xDB000"))
    #expect((try JSONSerialization.jsonObject(with: byPreset.stdout) as? [Any])?.count == 20)
    let byOffset = try S.run(["fs", "check", path.path, "--offset", "0xDB000", "--size", "128K"])
    #expect(byOffset.status == 0, "\(byOffset.stderr)")
  }
}
