import Foundation
import LittleFS
import TestSupport

/// littlefs-python 0.19.0 (the real littlefs C code, pinned in scripts/test) driven through
/// scripts/interop/littlefs_peer.py.
enum LittleFSPeer {
  static let python = InteropPython.path
  static let script = Repository.root.appendingPathComponent("scripts/interop/littlefs_peer.py").path

  static let available: Bool = {
    guard !python.isEmpty, FileManager.default.isExecutableFile(atPath: python) else { return false }
    return (try? run(["-c", "import littlefs"])) != nil
  }()

  /// One peer listing row.
  struct Row: Decodable, Equatable, CustomStringConvertible {
    var path: String
    var kind: String
    var size: Int
    var sha256: String
    var attrs: [String: String]
    var description: String { "\(kind) \(path) \(size) \(sha256.prefix(12)) \(attrs)" }
  }

  struct Mutation: Decodable {
    var before: [Row]
    var after: [Row]
    var operations: Int
  }

  @discardableResult
  static func run(_ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw PeerError(message: String(decoding: errors, as: UTF8.self))
    }
    return data
  }

  struct PeerError: Error, CustomStringConvertible {
    var message: String
    var description: String { "littlefs peer failed: \(message)" }
  }

  static func temporary(_ name: String) -> URL {
    // Unique per call: parameterised cases run in parallel and must not share files.
    FileManager.default.temporaryDirectory.appendingPathComponent("lfs-peer-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)-\(name)")
  }

  static func writeJSON(_ object: Any, _ name: String) throws -> URL {
    let url = temporary(name)
    try JSONSerialization.data(withJSONObject: object).write(to: url)
    return url
  }

  /// The same listing from our reader.
  static func rows(_ image: LittleFSImage) throws -> [Row] {
    try image.list().map { entry in
      var attrs: [String: String] = [:]
      for key in ["c", "t"] {
        if let value = entry.attributes[UInt8(ascii: Unicode.Scalar(key)!)] { attrs[key] = LittleFSFixtures.hex(value) }
      }
      switch entry.kind {
      case .root: return Row(path: "/", kind: "root", size: 0, sha256: "", attrs: attrs)
      case .directory: return Row(path: entry.path, kind: "dir", size: 0, sha256: "", attrs: attrs)
      case .file:
        return Row(path: entry.path, kind: "file", size: entry.size,
                   sha256: LittleFSFixtures.sha256(try image.contents(of: entry)), attrs: attrs)
      }
    }
  }
}

/// Seeded random trees: nested folders, names up to a limit (some UTF-8), sizes around the inline limit
/// and the block boundaries.
enum RandomTree {
  static func make(seed: UInt64, blockSize: Int, maxName: Int, maxPath: Int = 200, files: ClosedRange<Int> = 5...25) -> [LittleFSInputFile] {
    var rng = SplitMix64(seed: seed)
    let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789._-")
    func name() -> String {
      var n = ""
      let length = 1 + Int(rng.next() % UInt64(min(maxName, 12)))
      for _ in 0..<length { n.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
      if rng.next() % 9 == 0, n.utf8.count + 2 <= maxName { n += "ü" }
      return n == "." || n == ".." ? "x" + n : n
    }
    let sizes = [0, 1, 17, 63, 64, 65, 128, 129, 300, 1000, blockSize - 1, blockSize, blockSize + 1, 2 * blockSize + 5]
    var dirs = [""]
    var taken: Set<String> = []
    var result: [LittleFSInputFile] = []
    let count = files.lowerBound + Int(rng.next() % UInt64(files.count))
    while result.count < count {
      if rng.next() % 4 == 0, dirs.count < 6 {
        let parent = dirs[Int(rng.next() % UInt64(dirs.count))]
        let dir = parent + "/" + name()
        if dir.split(separator: "/").count <= 3, !taken.contains(dir), dir.utf8.count < maxPath - 3 {
          dirs.append(dir)
          taken.insert(dir)
        }
        continue
      }
      let path = dirs[Int(rng.next() % UInt64(dirs.count))] + "/" + name()
      guard !taken.contains(path), path.utf8.count <= maxPath, !dirs.contains(path) else { continue }
      taken.insert(path)
      let size = sizes[Int(rng.next() % UInt64(sizes.count))]
      let contents = (0..<size).map { _ in rng.byte() }
      result.append(LittleFSInputFile(path: path, contents: contents, modificationTime: 1_700_000_000 + Int64(result.count)))
    }
    // A directory named like a later file's parent must not also be a file.
    return result.filter { file in !result.contains { $0.path.hasPrefix(file.path + "/") } }
  }
}
