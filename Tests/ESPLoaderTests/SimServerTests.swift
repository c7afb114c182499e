import DeviceSimulator
import ESPLoader
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
private let streamSocket = Int32(SOCK_STREAM.rawValue)
private func closeDescriptor(_ fd: Int32) { _ = Glibc.close(fd) }
#elseif canImport(Darwin)
import Darwin
private let streamSocket = SOCK_STREAM
private func closeDescriptor(_ fd: Int32) { _ = Darwin.close(fd) }
#endif

/// The TCP server behind `simulate`, driven by a plain socket client (no esptool needed).
@Suite("Virtual board: TCP server")
struct SimServerTests {
  final class Running: @unchecked Sendable {
    let server: BoardServer
    private let lock = NSLock()
    private var meters: [WireMeter] = []
    private var finished = false
    init(_ server: BoardServer) { self.server = server }
    func add(_ meter: WireMeter) { lock.withLock { meters.append(meter) } }
    func finish() { lock.withLock { finished = true } }
    var isFinished: Bool { lock.withLock { finished } }
    var sessions: [WireMeter] { lock.withLock { meters } }
  }

  @Test("connections one after another: each starts in the ROM, the flash and the image carry over")
  func sequentialConnections() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simserver-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let image = directory.appendingPathComponent("board.bin").path
    var configuration = BoardConfiguration(chip: .esp8266, flashSize: 1 << 20)
    configuration.bootLog = false
    let server = try BoardServer(configuration: configuration, imagePath: image)
    let listener = try BoardServer.listen(host: "127.0.0.1", port: 0)
    #expect(listener.port != 0)
    let running = Running(server)
    server.onSessionEnd = { running.add($0) }
    let thread = Thread {
      running.server.serve(listener, maxConnections: 2)
      running.finish()
    }
    thread.start()
    defer { close(listener.descriptor) }

    // First connection: upload a "stub", then write one block with it.
    let first = try SocketClient(port: listener.port)
    #expect(first.exchange(SimWire.request(0x08, SimWire.syncData), frames: 8).count == 8)
    _ = first.exchange(SimWire.request(0x05, SimWire.u32(64, 1, 0x1800, 0x4010_C500)), frames: 1)
    _ = first.exchange(SimWire.dataBlock(0x07, [UInt8](repeating: 3, count: 64), seq: 0), frames: 1)
    let greeting = first.exchange(SimWire.request(0x06, SimWire.u32(0, 0x4010_C504)), frames: 2)
    #expect(greeting.last == Array("OHAI".utf8))
    _ = first.exchange(SimWire.request(0x02, SimWire.u32(0x100, 1, 0x4000, 0x8000)), frames: 1)
    let payload = [UInt8](repeating: 0x3C, count: 0x100)
    let written = first.exchange(SimWire.dataBlock(0x03, payload, seq: 0), frames: 1)
    #expect(written.first.flatMap(SimReply.init)?.data == [0, 0])
    first.close()

    // Second connection: the ROM answers again (SYNC value non-zero), the flash kept the data.
    let second = try SocketClient(port: listener.port)
    let sync = second.exchange(SimWire.request(0x08, SimWire.syncData), frames: 8).compactMap(SimReply.init)
    #expect(sync.count == 8)
    #expect(sync.allSatisfy { $0.value != 0 && $0.data.count == 2 })
    second.close()

    let deadline = Date().addingTimeInterval(10)
    while !running.isFinished && Date() < deadline { usleep(10_000) }
    #expect(running.isFinished)
    #expect(running.sessions.count == 2)
    #expect(running.sessions.first?.hostToDeviceFrames == 6)
    let saved = try [UInt8](Data(contentsOf: URL(fileURLWithPath: image)))
    #expect(saved.count == 1 << 20)
    #expect(Array(saved[0x8000..<0x8100]) == payload)
    #expect(saved[0x8100] == 0xFF)
  }
}

/// A blocking TCP client that sends a request and collects a number of SLIP frames (5 s limit).
final class SocketClient {
  let fd: Int32
  var decoder = SLIPDecoder()

  init(port: UInt16) throws {
    fd = socket(AF_INET, streamSocket, 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard result == 0 else { throw TransportError.cannotOpen(name: "127.0.0.1:\(port)", errno: errno, detail: "connect") }
  }

  func exchange(_ wire: [UInt8], frames count: Int) -> [[UInt8]] {
    _ = wire.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var frames: [[UInt8]] = []
    let deadline = Date().addingTimeInterval(5)
    var buffer = [UInt8](repeating: 0, count: 65536)
    while frames.count < count && Date() < deadline {
      while let frame = decoder.nextFrame() { frames.append(frame) }
      if frames.count >= count { break }
      var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&poller, 1, 100) > 0 else { continue }
      let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if got <= 0 { break }
      decoder.append(buffer[0..<got])
    }
    while let frame = decoder.nextFrame() { frames.append(frame) }
    return frames
  }

  func close() { closeDescriptor(fd) }
}
