import Crypto
import Foundation

/// A data folder and a devices folder for the `fs provision` tests, and readers for what it writes.
struct ProvisionFixture {
  typealias C = CredentialFixtures
  let folder: URL
  var data: URL { folder.appendingPathComponent("data") }
  var things: URL { folder.appendingPathComponent("things") }
  var out: URL { folder.appendingPathComponent("out") }
  static let index = Array("<h1>device page</h1>\n".utf8)

  /// `data/` holds index.html and Amazon Root CA 1 as ca.pem; `devices` maps a thing to testdata files
  /// ("set/file" → "<thing>/<name>").
  init(devices: [String: [(from: String, name: String)]]) throws {
    folder = try FSTestSupport.temporaryFolder()
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try Data(Self.index).write(to: data.appendingPathComponent("index.html"))
    try FileManager.default.copyItem(at: C.set("good-aws").appendingPathComponent("AmazonRootCA1.pem"),
                                     to: data.appendingPathComponent("ca.pem"))
    for (thing, files) in devices {
      let dir = things.appendingPathComponent(thing)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      for file in files {
        try FileManager.default.copyItem(at: C.root.appendingPathComponent(file.from), to: dir.appendingPathComponent(file.name))
      }
    }
  }

  func remove() { try? FileManager.default.removeItem(at: folder) }

  func provision(_ extra: [String] = []) throws -> FSTestSupport.Run {
    try FSTestSupport.run(["fs", "provision", data.path, "--devices", things.path, "-o", out.path, "--layout", "4M1M"] + extra)
  }

  /// `fs ls --json` of an image: names and sizes in stored order.
  static func listing(_ image: String) throws -> [Entry] {
    let run = try FSTestSupport.run(["fs", "ls", image, "--layout", "4M1M", "--json"])
    guard run.status == 0 else { throw CocoaError(.fileReadCorruptFile) }
    return try JSONDecoder().decode([Entry].self, from: run.stdout)
  }

  struct Entry: Decodable, Equatable {
    var name: String
    var size: Int
  }

  static func sha256(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
  }

  /// The parts of manifest.json the tests look at.
  struct Manifest: Decodable {
    struct Device: Decodable {
      struct File: Decodable { var name: String; var size: Int; var sha256: String; var source: String; var replaces: Bool }
      var thing: String
      var image: String
      var sha256: String
      var fileCount: Int
      var files: [File]
      var writeFlash: String?
    }
    var layout: String
    var platform: String
    var format: String
    var flashOffset: Int?
    var imageSize: Int
    var blockSize: Int
    var pageSize: Int
    var devices: [Device]
  }
}
