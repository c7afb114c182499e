import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs real esptool (from the interop venv that scripts/test prepares) against our `simulate` server.
enum EsptoolInterop {
  /// `ESPFLASH_INTEROP_PYTHON`, when it points at a Python with esptool 5.6.0 installed.
  static let python: String? = {
    let path = InteropPython.path
    guard !path.isEmpty, FileManager.default.isExecutableFile(atPath: path) else { return nil }
    let probe = run(path, ["-c", "import esptool; print(esptool.__version__)"], timeout: 60)
    return probe.status == 0 && probe.output.contains("5.6.0") ? path : nil
  }()

  static var isAvailable: Bool { python != nil && binary != nil }

  /// The built `espflash-swift`: next to the test bundle, else `.build/debug` under the repo root.
  static let binary: String? = BuiltCLI.existingBinary

  struct Result {
    var status: Int32
    var output: String
  }

  /// Runs a program to completion (or kills it after `timeout` seconds), stdout and stderr together.
  static func run(_ executable: String, _ arguments: [String], timeout: Double, directory: URL? = nil) -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("interop-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    guard let handle = try? FileHandle(forWritingTo: output) else { return Result(status: -1, output: "no log file") }
    process.standardOutput = handle
    process.standardError = handle
    do { try process.run() } catch { return Result(status: -1, output: "cannot run \(executable): \(error)") }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    var timedOut = false
    if process.isRunning {
      timedOut = true
      process.terminate()
    }
    process.waitUntilExit()
    try? handle.close()
    let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: output)
    return Result(status: timedOut ? -2 : process.terminationStatus, output: (timedOut ? "TIMED OUT\n" : "") + text)
  }

  /// A `simulate --listen 127.0.0.1:0` server for one test, with its socket:// URL.
  final class Server {
    let process = Process()
    let url: String
    let directory: URL
    let image: URL
    private let stderrLog: URL

    init(chip: String, connections: Int = 1, pty: Bool = false, extraArguments: [String] = []) throws {
      guard let binary = EsptoolInterop.binary else { throw InteropError.setup("espflash-swift binary not found") }
      directory = FileManager.default.temporaryDirectory.appendingPathComponent("interop-\(chip)-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      image = directory.appendingPathComponent("board.bin")
      stderrLog = directory.appendingPathComponent("simulate.err")
      _ = FileManager.default.createFile(atPath: stderrLog.path, contents: nil)
      process.executableURL = URL(fileURLWithPath: binary)
      process.arguments = ["simulate", "--chip", chip, "--flash", "4MB", "--image", image.path,
                           "--stats"]
        + (pty ? ["--pty"] : ["--listen", "127.0.0.1:0", "--exit-after-connections", String(connections)])
        + extraArguments
      let stdout = Pipe()
      process.standardOutput = stdout
      process.standardError = try FileHandle(forWritingTo: stderrLog)
      try process.run()
      url = try Server.readLine(stdout.fileHandleForReading.fileDescriptor, timeout: 20)
      guard url.hasPrefix(pty ? "/dev/" : "socket://127.0.0.1:") else {
        throw InteropError.setup("simulate printed '\(url)'")
      }
    }

    /// The server's --stats lines so far.
    var stats: String { (try? String(contentsOf: stderrLog, encoding: .utf8)) ?? "" }

    func esptool(_ arguments: [String], chip: String, before: String = "no-reset", timeout: Double = 180) -> Result {
      guard let python = EsptoolInterop.python else { return Result(status: -1, output: "no python") }
      return EsptoolInterop.run(python, ["-m", "esptool", "--chip", chip, "--port", url, "--before", before,
                                         "--after", "no-reset"] + arguments, timeout: timeout, directory: directory)
    }

    /// SIGINT, as a user's Ctrl-C: the server saves the image and exits 0.
    func interruptAndReadImage() throws -> [UInt8] {
      process.interrupt()
      let deadline = Date().addingTimeInterval(10)
      while process.isRunning && Date() < deadline { usleep(20_000) }
      guard !process.isRunning, process.terminationStatus == 0 else {
        throw InteropError.setup("simulate did not exit cleanly on SIGINT")
      }
      return [UInt8](try Data(contentsOf: image))
    }

    func stop() {
      let deadline = Date().addingTimeInterval(5)
      while process.isRunning && Date() < deadline { usleep(20_000) }
      if process.isRunning { process.terminate() }
      process.waitUntilExit()
      try? FileManager.default.removeItem(at: directory)
    }

    private static func readLine(_ fd: Int32, timeout: Double) throws -> String {
      var bytes: [UInt8] = []
      let deadline = Date().addingTimeInterval(timeout)
      while Date() < deadline {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 100) > 0 else { continue }
        var byte: UInt8 = 0
        guard read(fd, &byte, 1) == 1 else { break }
        if byte == 0x0A { return String(decoding: bytes, as: UTF8.self) }
        bytes.append(byte)
      }
      throw InteropError.setup("simulate printed no URL within \(timeout) s")
    }
  }

  enum InteropError: Error, CustomStringConvertible {
    case setup(String)
    var description: String {
      switch self { case .setup(let text): text }
    }
  }

  /// A test payload: seeded random bytes, an erased gap, repeated text; a multiple of 4 KiB.
  static func payload(seed: UInt64, size: Int) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(size)
    let text = Array("espflash-swift interop ".utf8)
    while bytes.count < size {
      let index = bytes.count
      if index < size / 3 {
        bytes.append(random.byte())
      } else if index < size / 2 {
        bytes.append(0xFF)
      } else {
        bytes.append(text[index % text.count])
      }
    }
    return bytes
  }
}
