import Foundation
import Testing
import TestSupport
@testable import ESPFlashKit
@testable import LittleFS

/// Extracting a LittleFS image never writes outside the folder: an image whose directory is literally named
/// ".." (littlefs stores any bytes; the builder refuses such paths, so the engine makes it directly).
@Suite struct LittleFSExtractionTests {
  static func hostileImage() throws -> [UInt8] {
    let engine = LFSEngine(config: LittleFSTarget.esp8266.engineConfig(blockSize: 4096, blockCount: 32, nameMax: 32))
    try engine.format()
    try engine.mount()
    let dotdot = Array("..".utf8)
    try engine.mkdir([dotdot])
    for path in [[dotdot, Array("evil.txt".utf8)], [Array("good.txt".utf8)]] {
      var file = try engine.create(path)
      try engine.write(&file, Array("x".utf8))
      try engine.close(&file)
    }
    return engine.disk
  }

  @Test func aDotDotDirectoryIsRefusedAndNothingLandsOutside() throws {
    let image = try LittleFSImage(bytes: try Self.hostileImage())
    #expect(try image.list().map(\.path) == ["/", "/..", "/../evil.txt", "/good.txt"])
    let root = try ScratchFolder.make("lfs-extract")
    defer { try? FileManager.default.removeItem(at: root) }
    let target = root.appendingPathComponent("inside")
    var caught: ExtractionError?
    do {
      try SafeExtraction.extract(image, into: target.path, force: false)
    } catch let error as ExtractionError {
      caught = error
    }
    guard case .incomplete(let refused, let failed)? = caught else { Issue.record("expected a refusal, got \(String(describing: caught))"); return }
    #expect(refused.count == 1 && refused[0].contains("/../evil.txt"), "\(refused)")
    #expect(failed.isEmpty)
    #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("good.txt").path))
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("evil.txt").path))
  }
}
