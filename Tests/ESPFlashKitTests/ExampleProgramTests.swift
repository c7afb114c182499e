import Foundation
import Testing
import TestSupport

/// examples/library-roundtrip, built by `swift build`: a folder through sim://esp32 and back with the library only.
@Suite struct ExampleProgramTests {
  @Test func theExampleRoundTripsAFolderThroughTheVirtualESP32() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    let example = BuiltCLI.product("espflash-kit-example")
    // Built with the package; a missing binary is a failure here, not a skip.
    #expect(FileManager.default.isExecutableFile(atPath: example.path), "\(example.path) is not built")
    let run = try ProcessRun.run(example, [bench.data.path], timeout: 120)
    #expect(run.status == 0, "\(run.stdoutText)\(run.stderrText)")
    let lines = run.stdoutText.split(separator: "\n").map(String.init)
    #expect(lines.first == "built 5 files, \(try bench.dataBytes()) bytes, into a 1441792-byte image")
    #expect(lines.contains { $0.hasPrefix("uploaded to esp32 at 0x290000: verified, MD5 ") })
    for name in ["/config.json", "/empty.txt", "/index.html", "/www/app.js", "/www/img/logo.bin"] {
      #expect(lines.contains { $0.hasSuffix("  " + name) }, "\(name) not listed, seed \(bench.seed)")
    }
    #expect(lines.contains { $0.hasPrefix("read back: identical (MD5 ") }, "seed \(bench.seed)")
    // The library printed nothing of its own: stderr stays empty.
    #expect(run.stderrText.isEmpty, "\(run.stderrText)")
  }
}

extension KitBench {
  /// The bytes of every file of the data folder.
  func dataBytes() throws -> Int {
    let walker = FileManager.default.enumerator(atPath: data.path)
    var total = 0
    while let relative = walker?.nextObject() as? String {
      let attributes = try FileManager.default.attributesOfItem(atPath: data.appendingPathComponent(relative).path)
      if attributes[.type] as? FileAttributeType == .typeRegular { total += (attributes[.size] as? Int) ?? 0 }
    }
    return total
  }
}
