import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `espflash-swift` binary and a way to run it, for the end-to-end tests: next to the test bundle
/// (where `swift test` builds it), else `.build/debug` under the repository root.
public enum BuiltCLI {
  /// Candidate locations, best first.
  public static var candidates: [URL] {
    var urls: [URL] = []
    if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
      urls.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("espflash-swift"))
    }
    urls.append(Repository.root.appendingPathComponent(".build/debug/espflash-swift"))
    return urls
  }

  /// The first candidate that is executable, else the `.build/debug` path (so a missing build fails loudly
  /// when it is run, naming the path).
  public static var binary: URL {
    candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[candidates.count - 1]
  }

  /// Another executable product of the package (e.g. `espflash-kit-example`), looked for the same way.
  public static func product(_ name: String) -> URL {
    binary.deletingLastPathComponent().appendingPathComponent(name)
  }

  /// The binary's path when one is built, for tests that skip without it.
  public static var existingBinary: String? {
    candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path
  }
}

/// One finished run of a program, its outputs captured separately.
public struct ProcessRun: Sendable {
  public var status: Int32
  public var stdout: Data
  public var stderr: Data
  /// The run outlived its timeout and was terminated; `status` is then the termination signal's status.
  public var timedOut: Bool

  public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
  public var stderrText: String { String(decoding: stderr, as: UTF8.self) }

  /// Runs `executable` to completion, stdout and stderr to temporary files (so a chatty child can never block
  /// on a full pipe). `environment` entries are added to this process's environment. With a `timeout` the
  /// child is terminated once it has run that many seconds; without one the call waits for it.
  public static func run(_ executable: URL, _ arguments: [String], directory: URL? = nil,
                         environment: [String: String] = [:], timeout: Double? = nil) throws -> ProcessRun {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if !environment.isEmpty {
      var env = ProcessInfo.processInfo.environment
      for (k, v) in environment { env[k] = v }
      process.environment = env
    }
    let dir = FileManager.default.temporaryDirectory
    let tag = "\(getpid())-\(UUID().uuidString)"
    let outURL = dir.appendingPathComponent("espflash-run-\(tag).out")
    let errURL = dir.appendingPathComponent("espflash-run-\(tag).err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
    }
    let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
    defer {
      try? outHandle.close()
      try? errHandle.close()
    }
    process.standardOutput = outHandle
    process.standardError = errHandle
    try process.run()
    var timedOut = false
    if let timeout {
      let deadline = Date().addingTimeInterval(timeout)
      while process.isRunning, Date() < deadline { usleep(10_000) }
      if process.isRunning {
        timedOut = true
        process.terminate()
      }
    }
    process.waitUntilExit()
    return ProcessRun(status: process.terminationStatus, stdout: (try? Data(contentsOf: outURL)) ?? Data(),
                      stderr: (try? Data(contentsOf: errURL)) ?? Data(), timedOut: timedOut)
  }
}
