import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running esp32-mock-bootloader (PyPI, pinned 0.3.0 by `scripts/test`) on a free loopback port, for the
/// interop tests of both the loader library and the CLI. Stopped (bounded: terminate, then SIGKILL after 3 s)
/// by `stop()` or when released, so a failing test cannot leave a server behind.
public final class MockBootloader {
  public let process = Process()
  public let port: UInt16
  public var url: String { "socket://127.0.0.1:\(port)" }

  public struct NotListening: Error, CustomStringConvertible {
    public let url: String
    public var description: String { "esp32-mock-bootloader did not start listening on \(url) within 10 s" }
  }

  /// Starts `python -m esp32_mock_bootloader.cli run` for `chip` and waits (bounded: 10 s) until it accepts
  /// a connection.
  public init(python: String, chip: String) throws {
    port = Self.freePort()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-m", "esp32_mock_bootloader.cli", "run", "--chip", chip, "--port", String(port),
                         "--bind", "127.0.0.1", "--timeout", "120"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline, process.isRunning {
      if Self.accepts(port) { usleep(50_000); return }
      usleep(50_000)
    }
    stop()
    throw NotListening(url: url)
  }

  public func stop() {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = Date().addingTimeInterval(3)
    while process.isRunning, Date() < deadline { usleep(20_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  deinit { stop() }

  /// A loopback port the kernel just handed out (bound, read back, released).
  public static func freePort() -> UInt16 {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(s) }
    var addr = loopback(port: 0)
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
    return UInt16(bigEndian: addr.sin_port)
  }

  private static func accepts(_ port: UInt16) -> Bool {
    let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(probe) }
    var addr = loopback(port: port)
    let len = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, len) } } == 0
  }

  private static func loopback(port: UInt16) -> sockaddr_in {
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = port.bigEndian
    return addr
  }
}
