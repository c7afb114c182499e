import Foundation
import SPIFFS
import Testing

/// Images the real SPIFFS (ESP8266 core sources over a NOR flash model) left after long random workloads, with
/// what it reads and what SPIFFS_check reports (testdata/spiffs/regressions, see its README).
@Suite struct RegressionImageTests {
  static let folder = ReaderFixtures.root.appendingPathComponent("regressions")

  struct Case: Sendable, CustomStringConvertible {
    var name: String
    var layout: SPIFFSLayout
    var description: String { name }
  }

  static let dupindex = Case(name: "esp8266_4M1M242_dupindex",
                             layout: SPIFFSLayout(platform: .esp8266, imageSize: 0xFB000, blockSize: 8192))
  static let halfdeleted = Case(name: "esp8266_1M128_halfdeleted",
                                layout: SPIFFSLayout(platform: .esp8266, imageSize: 0x20000, blockSize: 4096))

  static func image(_ c: Case) throws -> SPIFFSImage {
    let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("\(c.name).bin")))
    return try SPIFFSImage(bytes: bytes, layout: c.layout)
  }

  /// `size \t sha256 \t name` per file, sorted by name.
  static func listing(_ c: Case) throws -> [(size: Int, sha256: String, name: [UInt8])] {
    let data = try Data(contentsOf: folder.appendingPathComponent("\(c.name).listing.txt"))
    return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
      let f = line.split(separator: UInt8(ascii: "\t"), maxSplits: 2, omittingEmptySubsequences: false)
      guard f.count == 3, let size = Int(String(decoding: f[0], as: UTF8.self)) else { return nil }
      return (size, String(decoding: f[1], as: UTF8.self), Array(f[2]))
    }
  }

  /// The reference checker's `check report: type=T report=R arg1=A arg2=B` lines and its `SPIFFS_check=N`.
  static func checkReports(_ c: Case) throws -> (count: Int, reports: [[String: String]]) {
    let text = try String(contentsOf: folder.appendingPathComponent("\(c.name).check.txt"), encoding: .utf8)
    var count = -1
    var reports: [[String: String]] = []
    for line in text.split(separator: "\n") {
      if line.hasPrefix("SPIFFS_check=") { count = Int(line.dropFirst("SPIFFS_check=".count)) ?? -1 }
      if line.hasPrefix("check report:") {
        var fields: [String: String] = [:]
        for pair in line.dropFirst("check report:".count).split(separator: " ") {
          let kv = pair.split(separator: "=", maxSplits: 1)
          if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
        }
        reports.append(fields)
      }
    }
    return (count, reports)
  }

  @Test(arguments: [dupindex, halfdeleted])
  func everyFileReadsAsTheRealSPIFFSReadsIt(_ c: Case) throws {
    let image = try Self.image(c)
    try image.mount()
    // The listings are sorted by name bytes; readdir order is physical.
    let expected = try Self.listing(c)
    let entries = image.entries().sorted { $0.nameBytes.lexicographicallyPrecedes($1.nameBytes) }
    #expect(entries.map(\.nameBytes) == expected.map(\.name))
    for (entry, want) in zip(entries, expected) {
      let content = try image.contents(of: entry)
      #expect(content.count == want.size, "\(entry.name)")
      #expect(ReaderFixtures.sha256(content) == want.sha256, "\(entry.name)")
    }
  }

  @Test func duplicateIndexPagesResolveToTheOneThatCoversTheSize() throws {
    let image = try Self.image(Self.dupindex)
    let log = try #require(image.entry(named: Array("/m x17.log".utf8)))
    #expect(log.objectID == 0x0023 && log.size == 49_675)
    #expect(try image.contents(of: log).count == 49_675)
    let report = image.check()
    #expect(try Self.checkReports(Self.dupindex).count == 0)
    #expect(report.problems == [], "\(report.problems.prefix(5).map(\.description))")
    #expect(report.filesChecked == 55)
    // The duplicate is shown for information, naming both pages and the one reads use.
    let note = try #require(report.notes.first { $0.kind == .duplicateIndexPage })
    #expect(note.objectID == 0x0023 && note.page == 1295 && note.severity == .note)
    #expect(note.message.contains("pages 139, 1295"))
  }

  @Test func halfDeletedHeaderIsReportedAsSPIFFSCheckReportsIt() throws {
    let image = try Self.image(Self.halfdeleted)
    let report = image.check()
    let reference = try Self.checkReports(Self.halfdeleted)
    #expect(reference.count == 1 && report.problems.count == 1)
    let problem = try #require(report.problems.first)
    let reported = try #require(reference.reports.first)
    // type=1 (index check) report=5 (delete page), arg1 = page, arg2 = object id as the lookup stores it.
    #expect(reported["type"] == "1" && reported["report"] == "5")
    #expect(problem.page == Int(reported["arg1"]?.dropFirst(2) ?? "", radix: 16))
    #expect(problem.objectID.map { $0 | 0x8000 } == UInt16(reported["arg2"]?.dropFirst(2) ?? "", radix: 16))
    #expect(problem.kind == .halfDeletedHeader && problem.severity == .warning)
    #expect(problem.page == 300 && problem.objectID == 0x0036)
    #expect(problem.message.contains("SPIFFS_check would delete this page"))
    #expect(report.isConsistent)
    // The half-deleted object is not a file.
    #expect(!image.entries().contains { $0.objectID == 0x0036 })
  }
}
