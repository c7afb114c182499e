import Foundation
import Testing
@testable import ESPLoader
@testable import ESPTransport
#if canImport(Glibc)
import Glibc
#endif

/// The OS transports on things every CI machine has: a pseudo-terminal and a loopback socket.
@Suite struct TransportTests {
  /// An openpty pair; the master is the "board" side.
  final class PTY {
    let master: Int32
    let slavePath: String
    private let slave: Int32
    init() throws {
      var m: Int32 = 0, s: Int32 = 0
      var name = [CChar](repeating: 0, count: 128)
      guard openpty(&m, &s, &name, nil, nil) == 0 else { throw TransportError.cannotOpen(name: "pty", errno: errno, detail: "openpty") }
      master = m
      slave = s  // kept open so the pair stays alive while the port reopens the slave
      slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      var t = termios()
      tcgetattr(m, &t)
      cfmakeraw(&t)
      tcsetattr(m, TCSANOW, &t)
    }
    func writeMaster(_ b: [UInt8]) { _ = b.withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) } }
    func readMaster(count: Int, timeout: Double) -> [UInt8] {
      var out: [UInt8] = []
      let deadline = Monotonic.now() + timeout
      while out.count < count, Monotonic.now() < deadline {
        var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 50) > 0 else { continue }
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = buf.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, $0.count) }
        if n > 0 { out += buf[0..<n] }
      }
      return out
    }
    deinit { Glibc.close(master); Glibc.close(slave) }
  }

  #if os(Linux)
  @Test func termios2HasTheKernelLayout() {
    #expect(MemoryLayout<Termios2>.size == 44)
  }
  #endif

  @Test func bytesFlowBothWaysThroughASerialPortOnAPty() throws {
    let pty = try PTY()
    let port = try SerialPort(path: pty.slavePath, baudRate: 115_200)
    defer { port.close() }
    let out: [UInt8] = Array(0...255) + Command.sync.frame
    try port.write(out)
    #expect(pty.readMaster(count: out.count, timeout: 2) == out)
    pty.writeMaster([0xC0, 0x01, 0x08, 0xC0])
    var got: [UInt8] = []
    let deadline = Monotonic.now() + 2
    while got.count < 4, Monotonic.now() < deadline { got += try port.read(maxCount: 16, timeout: 0.2) }
    #expect(got == [0xC0, 0x01, 0x08, 0xC0])
    // Nothing more: a read times out empty, and about on time.
    let t0 = Monotonic.now()
    #expect(try port.read(maxCount: 16, timeout: 0.1).isEmpty)
    #expect(Monotonic.now() - t0 >= 0.09)
  }

  @Test(arguments: [9600, 74_880, 115_200, 460_800, 921_600, 1_500_000, 2_000_000, 3_000_000])
  func everyRateCanBeSetOnAPty(baud: Int) throws {
    let pty = try PTY()
    let port = try SerialPort(path: pty.slavePath)
    defer { port.close() }
    try port.setBaudRate(baud)
    #expect(port.baudRate == baud)
  }

  @Test func controlLinesOnAPtyAreRefusedAsUnsupportedAndConnectCarriesOn() throws {
    let pty = try PTY()
    let port = try SerialPort(path: pty.slavePath)
    defer { port.close() }
    do {
      try port.setControlLines(dtr: true, rts: false)
    } catch {
      #expect(ControlLines.isHarmless(error), "\(error)")
    }
    // A reset sequence over the pty: refused lines lead to one warning, not a failure. Nobody answers the
    // SYNCs, so the connect fails after one attempt and says so.
    var notes: [String] = []
    do {
      _ = try Flasher.connect(transport: port, options: ConnectOptions(before: .defaultReset, attempts: 1),
                              diagnostics: { notes.append($0) }, sleep: { _ in })
      Issue.record("connected to an empty pty")
    } catch {
      guard case .connectFailed(_, let tried, _) = error else { Issue.record("\(error)"); return }
      #expect(tried.count == 1)
    }
    #expect(notes.filter { $0.contains("DTR/RTS") }.count <= 1)
    // The host sent SYNC frames to the "board".
    let seen = pty.readMaster(count: 46, timeout: 1)
    #expect(Array(seen.prefix(46)) == Command.sync.frame)
  }

  @Test func secondOpenOfAHeldPortIsBusy() throws {
    let pty = try PTY()
    let first = try SerialPort(path: pty.slavePath)
    defer { first.close() }
    do {
      let second = try SerialPort(path: pty.slavePath)
      second.close()
      Issue.record("opened a port another handle holds")
    } catch {
      #expect(error == .busy(name: pty.slavePath), "\(error)")
      #expect(error.description.contains("busy"))
    }
  }

  @Test func missingPortCannotBeOpened() {
    #expect(throws: TransportError.self) { try SerialPort(path: "/dev/does-not-exist-espflash") }
  }

  @Test func tcpTransportTalksToALoopbackListener() throws {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(listener) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, len) } }
    listen(listener, 1)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
    let port = UInt16(bigEndian: addr.sin_port)
    let tcp = try TCPTransport(url: "socket://127.0.0.1:\(port)")
    let peer = accept(listener, nil, nil)
    defer { close(peer) }
    try tcp.write([1, 2, 3])
    var buf = [UInt8](repeating: 0, count: 3)
    #expect(recv(peer, &buf, 3, Int32(MSG_WAITALL)) == 3)
    #expect(buf == [1, 2, 3])
    let reply: [UInt8] = [9, 8]
    _ = send(peer, reply, 2, 0)
    var got: [UInt8] = []
    let deadline = Monotonic.now() + 2
    while got.count < 2, Monotonic.now() < deadline { got += try tcp.read(maxCount: 10, timeout: 0.2) }
    #expect(got == [9, 8])
    #expect(!tcp.supportsControlLines)
    #expect(throws: TransportError.self) { try tcp.setControlLines(dtr: true, rts: nil) }
    close(peer)
    #expect(throws: TransportError.self) {
      for _ in 0..<10 { _ = try tcp.read(maxCount: 10, timeout: 0.2) }
    }
    tcp.close()
  }

  @Test func socketURLsParse() throws {
    #expect(try TCPTransport.parse("socket://127.0.0.1:4000") == ("127.0.0.1", 4000))
    #expect(try TCPTransport.parse("socket://[::1]:5") == ("::1", 5))
    #expect(throws: TransportError.self) { try TCPTransport.parse("socket://host") }
    #expect(throws: TransportError.self) { try TCPTransport.parse("tcp://host:1") }
  }

  @Test func refusedConnectionIsCannotOpen() {
    // Port 1 on loopback: nothing listens there in a test environment.
    #expect(throws: TransportError.self) { try TCPTransport(url: "socket://127.0.0.1:1", connectTimeout: 1) }
  }

  @Test func bridgeNames() {
    #expect(PortList.bridgeName(vendor: 0x1A86, product: 0x7523) == "CH340")
    #expect(PortList.bridgeName(vendor: 0x10C4, product: 0xEA60) == "CP210x")
    #expect(PortList.bridgeName(vendor: 0x303A, product: 0x1001) == "Espressif USB-JTAG-serial")
    #expect(PortList.bridgeName(vendor: 1, product: 1) == nil)
  }

  @Test func sysfsListingReadsUSBDescriptors() throws {
    // A fake sysfs: ttyUSB0 behind a CH340, and a phantom 8250 ttyS0 that must be skipped.
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("espflash-sysfs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: root) }
    let fm = FileManager.default
    let usb = root.appendingPathComponent("devices/usb1/1-1")
    let iface = usb.appendingPathComponent("1-1:1.0/ttyUSB0")
    try fm.createDirectory(at: iface, withIntermediateDirectories: true)
    for (file, text) in [("idVendor", "1a86"), ("idProduct", "7523"), ("product", "USB Serial"), ("manufacturer", "QinHeng")] {
      try text.write(to: usb.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    let tty = root.appendingPathComponent("class/tty")
    try fm.createDirectory(at: tty.appendingPathComponent("ttyUSB0"), withIntermediateDirectories: true)
    try fm.createSymbolicLink(atPath: tty.appendingPathComponent("ttyUSB0/device").path, withDestinationPath: iface.path)
    let s8250 = root.appendingPathComponent("devices/platform/serial8250")
    try fm.createDirectory(at: s8250, withIntermediateDirectories: true)
    try fm.createDirectory(at: tty.appendingPathComponent("ttyS0"), withIntermediateDirectories: true)
    try fm.createSymbolicLink(atPath: tty.appendingPathComponent("ttyS0/device").path, withDestinationPath: s8250.path)
    let ports = PortList.list(sysClassTTY: tty.path, byIDDirectory: root.appendingPathComponent("none").path)
    #expect(ports.map(\.path) == ["/dev/ttyUSB0"])
    #expect(ports.first?.bridge == "CH340")
    #expect(ports.first?.manufacturer == "QinHeng")
  }

  @Test func closedOtherSideOfAPtyIsADisconnect() throws {
    var pty: PTY? = try PTY()
    let port = try SerialPort(path: pty!.slavePath)
    defer { port.close() }
    pty = nil  // closes the master (and our extra slave handle)
    #expect(throws: TransportError.disconnected(name: port.name)) { _ = try port.read(maxCount: 16, timeout: 1) }
  }
}
