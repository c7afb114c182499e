import Foundation
import LittleFS
import Testing
import TestSupport

/// `--format mklittlefs` against the six images the real mklittlefs builds wrote (testdata/littlefs
/// MANIFEST.md): same files, same order, same mtimes and root time → the same bytes.
@Suite struct BuilderGoldenTests {
  struct Vector: Sendable, CustomStringConvertible {
    var image: String
    var tree: String
    var profile: LittleFSToolProfile
    var blockSize: Int
    var size: Int
    var description: String { image }
  }

  static let vectors = [
    Vector(image: "esp8266_4M1M_basic", tree: "basic", profile: .esp8266, blockSize: 8192, size: 1_024_000),
    Vector(image: "esp8266_1M128_tiny", tree: "tiny", profile: .esp8266, blockSize: 4096, size: 131_072),
    Vector(image: "esp8266_4M2M_deep", tree: "deep", profile: .esp8266, blockSize: 8192, size: 2_072_576),
    Vector(image: "esp32_default_deep", tree: "deep", profile: .esp32, blockSize: 4096, size: 1_441_792),
    Vector(image: "esp32_minspiffs_tiny_legacy", tree: "tiny", profile: .esp32Legacy, blockSize: 4096, size: 131_072),
  ]

  /// The root time the vectors were built with (MANIFEST "Root time").
  static let rootTime: Int64 = 1_767_225_600

  static func files(image: String, tree: String) throws -> [LittleFSInputFile] {
    let root = LittleFSFixtures.root
    let mtimesText = try String(contentsOf: root.appendingPathComponent("mtimes/\(tree).txt"), encoding: .utf8)
    var mtimes: [String: Int64] = [:]
    for line in mtimesText.split(separator: "\n") {
      guard let space = line.firstIndex(of: " ") else { continue }
      mtimes["/" + line[line.index(after: space)...]] = Int64(line[..<space])
    }
    let order = try String(contentsOf: root.appendingPathComponent("expected/\(image).order.txt"), encoding: .utf8)
    return try order.split(separator: "\n").map { line in
      let path = String(line)
      let data = try Data(contentsOf: root.appendingPathComponent("input/\(tree)\(path)"))
      return LittleFSInputFile(path: path, contents: [UInt8](data), modificationTime: mtimes[path])
    }
  }

  @Test(arguments: vectors)
  func reproducesTheMklittlefsImageByteForByte(_ vector: Vector) throws {
    let files = try Self.files(image: vector.image, tree: vector.tree)
    #expect(files.count > 10)
    let builder = LittleFSBuilder(format: .mklittlefs(vector.profile), blockSize: vector.blockSize, imageSize: vector.size,
                                  fileTimes: .own, buildTime: Self.rootTime)
    let built = try builder.build(files)
    let expected = try LittleFSFixtures.bytes(vector.image)
    #expect(built.count == expected.count)
    let diff = firstDifference(built, expected)
    #expect(diff == nil, "\(vector.image): \(diff)")
  }

  @Test func reproducesTheOverflowImageAndNamesTheFileThatDidNotFit() throws {
    let files = try Self.files(image: "esp8266_1M128_small_overflow", tree: "small")
    let builder = LittleFSBuilder(format: .mklittlefs(.esp8266), blockSize: 4096, imageSize: 131_072,
                                  fileTimes: .own, buildTime: Self.rootTime)
    let (built, skipped) = try builder.buildLikeMklittlefs(files)
    #expect(skipped.map(\.path) == ["/www/css/style.css"])
    let diff = firstDifference(built, try LittleFSFixtures.bytes("esp8266_1M128_small_overflow"))
    #expect(diff == nil, "\(diff)")
    // The strict build refuses instead, naming the file.
    let result = Result { () throws(LittleFSBuildError) -> [UInt8] in try builder.build(files) }
    guard case .failure(.doesNotFit(let path, let index, _, _, _, _)) = result else {
      Issue.record("expected doesNotFit, got \(result)")
      return
    }
    #expect(path == "/www/css/style.css")
    #expect(index == 17)
  }
}
