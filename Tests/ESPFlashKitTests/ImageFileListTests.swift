import ESPFlashKit
import Foundation
import SPIFFS
import Testing
import TestSupport

/// `ImageFile.list` (mapped, reads only the listing's pages) gives what `ImageFile.open(...).image.entries()`
/// gives, with the layout detected, given, and at an offset inside a larger file.
@Suite struct ImageFileListTests {
  static let images = ["images/esp8266_4M1M_livedin.bin", "images/esp32_default_livedin.bin",
                       "images/esp8266_1M128_gcfill.bin", "regressions/esp8266_4M1M242_dupindex.bin"]

  static func path(_ name: String) -> String { Repository.testdata("spiffs").appendingPathComponent(name).path }

  @Test(arguments: images)
  func listEqualsOpenThenEntries(_ name: String) throws {
    let path = Self.path(name)
    let opened = try ImageFile.open(path, preset: nil, offset: nil)
    #expect(opened.image.entries().count > 0)
    #expect(try ImageFile.list(path, preset: nil, offset: nil) == opened.image.entries())
    let preset = try #require(ImageMount.matchingPreset(opened.image.layout))
    #expect(try ImageFile.list(path, preset: preset, offset: nil) == opened.image.entries())
  }

  @Test func listAtAnOffsetInsideALargerFile() throws {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.path(Self.images[0]))))
    let folder = try ScratchFolder.make("image-list")
    let dump = folder.appendingPathComponent("dump.bin")
    try Data([UInt8](repeating: 0xFF, count: 0x3000) + bytes + [1, 2, 3]).write(to: dump)
    let listed = try #require(try ImageFile.list(dump.path, preset: nil, offset: 0x3000,
                                                 narrowing: .init(imageSize: bytes.count)))
    let opened = try ImageFile.open(dump.path, preset: nil, offset: 0x3000, narrowing: .init(imageSize: bytes.count))
    #expect(listed.count > 0)
    #expect(listed == opened.image.entries())
  }

  /// LittleFS images are not SPIFFS for the quick listing: nil, so `fs ls` reads them through `openAny`.
  @Test(arguments: ["esp32_default_deep.bin", "esp32_minspiffs_livedin.bin", "esp32_minspiffs_tiny_legacy.bin"])
  func aLittleFSImageIsLeftToOpenAny(_ name: String) throws {
    let path = Repository.testdata("littlefs").appendingPathComponent("images/" + name).path
    #expect(try ImageFile.list(path, preset: nil, offset: nil) == nil)
    guard case .littlefs = try ImageFile.openAny(path, preset: nil, offset: nil) else {
      Issue.record("\(name) did not open as LittleFS"); return
    }
  }

  @Test func anEmptyFileIsRefusedLikeOpen() throws {
    let folder = try ScratchFolder.make("image-list")
    let empty = folder.appendingPathComponent("empty.bin")
    try Data().write(to: empty)
    #expect(throws: (any Error).self) { try ImageFile.list(empty.path, preset: nil, offset: nil) }
    #expect(throws: (any Error).self) { try ImageFile.open(empty.path, preset: nil, offset: nil) }
  }
}
