import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `espflash-swift` binary with a bounded wait.
enum FlashCLI {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var binary: URL {
    if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
      let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("espflash-swift")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return repoRoot.appendingPathComponent(".build/debug/espflash-swift")
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 60) throws -> Result {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    // Output goes to temporary files, so a chatty child can never block on a full pipe.
    let dir = FileManager.default.temporaryDirectory
    let tag = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let outURL = dir.appendingPathComponent("espflash-cli-\(tag).out")
    let errURL = dir.appendingPathComponent("espflash-cli-\(tag).err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
    }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline { usleep(10_000) }
    if process.isRunning { process.terminate(); Issue.record("espflash-swift \(arguments) timed out") }
    process.waitUntilExit()
    let outData = (try? Data(contentsOf: outURL)) ?? Data()
    let errData = (try? Data(contentsOf: errURL)) ?? Data()
    return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                  stderr: String(decoding: errData, as: UTF8.self))
  }
}
