import Foundation
import SPIFFS
import Testing

/// The pipeline's "won't fit" check reports the builder's `requiredImageBytes`, and the layout it suggests
/// really holds the files.
@Suite struct FSBuildFitCheckTests {
  typealias S = FSTestSupport

  /// The files of a data folder as the builder would get them (the sizes are what matters here).
  private func folderFiles(_ root: URL) throws -> [SPIFFSFile] {
    var files: [SPIFFSFile] = []
    let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = walker?.nextObject() as? URL {
      guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
      files.append(SPIFFSFile(name: "/" + url.lastPathComponent, contents: [UInt8](try Data(contentsOf: url))))
    }
    return files
  }

  private func neededBytes(_ stderr: String) -> Int? {
    guard let range = stderr.range(of: "they need about ") else { return nil }
    return Int(stderr[range.upperBound...].prefix { $0.isNumber })
  }

  @Test(arguments: ["compact", "mkspiffs"])
  func theNeededSizeIsTheBuildersAndTheSuggestedLayoutHoldsTheFiles(_ format: String) throws {
    let folder = try S.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = S.input("basic")
    let files = try folderFiles(input)
    let preset = try #require(SPIFFSLayoutPresets.named("1M128"))
    let builderFormat: SPIFFSImageFormat = format == "compact" ? .compact : .mkspiffs
    let expected = SPIFFSBuilder(layout: preset.layout, format: builderFormat).requiredImageBytes(for: files)
    // The folder is smaller than twice the image, so it is read and measured exactly.
    #expect(files.reduce(0) { $0 + $1.contents.count } <= 2 * preset.imageSize)
    let out = folder.appendingPathComponent("out.bin").path
    let run = try S.run(["fs", "build", input.path, "-o", out, "--layout", "1M128", "--format", format, "--no-cert-check"])
    #expect(run.status == 65)
    #expect(neededBytes(run.stderr) == expected, "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))

    let suggestion = try #require(run.stderr.range(of: "--layout ").map { run.stderr[$0.upperBound...].prefix { $0 != " " } })
    let retry = try S.run(["fs", "build", input.path, "-o", out, "--layout", String(suggestion), "--format", format,
                           "--no-cert-check"])
    #expect(retry.status == 0, "--layout \(suggestion): \(retry.stderr)")
  }
}
