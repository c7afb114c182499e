import ESPLoader
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves one virtual board to other programs (esptool, our own CLI) over TCP or a pseudo-terminal.
///
/// The flash persists across connections; every new TCP connection finds the chip freshly reset into the
/// ROM download mode (what esptool's auto-reset would do, and what `--before no-reset` expects). A
/// pseudo-terminal has no DTR/RTS, so there the board is reset once at start and then keeps its state, as a
/// board without reset lines would: a second esptool run finds the stub of the first one still running.
public final class BoardServer {
  public let configuration: BoardConfiguration
  public let imagePath: String?
  public private(set) var flash: NORFlash
  /// Polled between I/O waits (at least every 200 ms); return true to stop serving.
  public var shouldStop: () -> Bool = { false }
  /// Called after each connection (TCP) or idle period (pty) with that session's meter.
  public var onSessionEnd: (WireMeter) -> Void = { _ in }
  /// Called when saving the image failed.
  public var onSaveError: (any Error) -> Void = { _ in }
  /// Byte faults on the served link (`simulate --fault`), counted over the server's lifetime, so each fires
  /// once and the client's reconnect finds a clean line.
  public var wireFaults = WireFaults([])
  /// Called when a fault fires, with what happened.
  public var onFault: (String) -> Void = { _ in }

  /// Loads `imagePath` if it exists (its size must be the flash size), else starts erased.
  public init(configuration: BoardConfiguration, imagePath: String?) throws(TransportError) {
    self.configuration = configuration
    self.imagePath = imagePath
    if let imagePath, FileManager.default.fileExists(atPath: imagePath) {
      flash = try FlashImageFile.load(path: imagePath, expectedSize: configuration.flashSize, url: imagePath)
    } else {
      flash = NORFlash(size: configuration.flashSize)
    }
  }

  /// Writes the image atomically, if there is an image path.
  public func saveImage() {
    guard let imagePath else { return }
    do { try FlashImageFile.save(flash.bytes, path: imagePath) } catch { onSaveError(error) }
  }

  // MARK: TCP

  /// A bound, listening TCP socket.
  public struct Listener: Sendable {
    public let descriptor: Int32
    public let host: String
    public let port: UInt16
    public var url: String { "socket://\(host):\(port)" }
  }

  /// Binds `host:port` (port 0 = any free port) and listens.
  public static func listen(host: String, port: UInt16) throws(TransportError) -> Listener {
    let name = "\(host):\(port)"
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw .cannotOpen(name: name, errno: errno, detail: String(cString: strerror(errno))) }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
      close(fd)
      throw .invalidAddress(name, reason: "listen address must be an IPv4 address such as 127.0.0.1")
    }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, Glibc_listen(fd, 4) == 0 else {
      let code = errno
      close(fd)
      throw .cannotOpen(name: name, errno: code, detail: String(cString: strerror(code)))
    }
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Listener(descriptor: fd, host: host, port: UInt16(bigEndian: actual.sin_port))
  }

  /// Accepts connections one after another until `shouldStop` or `maxConnections` is reached. The image is
  /// saved after each connection.
  public func serve(_ listener: Listener, maxConnections: Int? = nil) {
    var served = 0
    while !shouldStop() {
      if let maxConnections, served >= maxConnections { break }
      var poller = pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0)
      guard poll(&poller, 1, 200) > 0 else { continue }
      let client = accept(listener.descriptor, nil, nil)
      guard client >= 0 else { continue }
      var yes: Int32 = 1
      setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
      let board = VirtualBoard(configuration: configuration, flash: flash)
      pump(board: board, input: client, output: client, endOnIdle: nil)
      close(client)
      flash = board.flash
      saveImage()
      onSessionEnd(board.meter)
      served += 1
    }
  }

  // MARK: Pseudo-terminal

  /// The master side and the path a client opens.
  public struct PseudoTerminal: Sendable {
    public let master: Int32
    public let slavePath: String
    /// Held open by the server so the master does not see EOF between client sessions.
    public let slave: Int32
  }

  /// `posix_openpt`, with the slave set to raw mode (no echo, no CR/LF translation) before any client.
  public static func openPseudoTerminal() throws(TransportError) -> PseudoTerminal {
    let master = posix_openpt(O_RDWR | O_NOCTTY)
    guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let namePointer = ptsname(master) else {
      throw .cannotOpen(name: "pty", errno: errno, detail: String(cString: strerror(errno)))
    }
    let path = String(cString: namePointer)
    let slave = open(path, O_RDWR | O_NOCTTY)
    guard slave >= 0 else { throw .cannotOpen(name: path, errno: errno, detail: String(cString: strerror(errno))) }
    var settings = termios()
    tcgetattr(slave, &settings)
    cfmakeraw(&settings)
    tcsetattr(slave, TCSANOW, &settings)
    return PseudoTerminal(master: master, slavePath: path, slave: slave)
  }

  /// Serves the board on the pty until `shouldStop`; saves the image whenever the line has been quiet for a
  /// second after traffic, and at the end.
  public func serve(_ terminal: PseudoTerminal) {
    let board = VirtualBoard(configuration: configuration, flash: flash)
    var reported = WireMeter()
    while !shouldStop() {
      pump(board: board, input: terminal.master, output: terminal.master, endOnIdle: 1.0)
      flash = board.flash
      let meter = board.meter
      if meter != reported {
        saveImage()
        onSessionEnd(meter)
        reported = meter
      }
    }
  }

  /// Moves bytes between a descriptor and the board until EOF, `shouldStop`, or (if given) that many
  /// seconds without traffic after some traffic.
  private func pump(board: VirtualBoard, input: Int32, output: Int32, endOnIdle: Double?) {
    let flags = fcntl(output, F_GETFL)
    _ = fcntl(output, F_SETFL, flags | O_NONBLOCK)
    var outgoing: [UInt8] = []
    var head = 0
    // Device→host bytes held back by a stall fault, and when they go out.
    var held: [UInt8] = []
    var releaseAt: Date?
    var closeAfterFlush = false
    func absorb(_ bytes: [UInt8]) {
      guard !bytes.isEmpty else { return }
      if releaseAt != nil { held += bytes; return }
      let (deliver, event, rest) = wireFaults.pass(bytes, .deviceToHost)
      if head > 0 { outgoing.removeFirst(head); head = 0 }
      outgoing += deliver
      switch event {
      case .stall(let seconds)?:
        onFault("device→host stalled for \(seconds) s")
        held = rest
        releaseAt = Date().addingTimeInterval(seconds)
      case .close?:
        onFault("connection closed while the board replied")
        closeAfterFlush = true
      case .reset?, nil:
        break
      }
    }
    absorb(board.takeOutput(hostBaud: nil))
    var buffer = [UInt8](repeating: 0, count: 0x1_0000)
    var quietSince: Date?
    var sawTraffic = false
    while !shouldStop() {
      if let release = releaseAt, Date() >= release {
        releaseAt = nil
        let bytes = held
        held = []
        absorb(bytes)
      }
      if closeAfterFlush && head >= outgoing.count { return }
      var events = Int16(POLLIN)
      if head < outgoing.count { events |= Int16(POLLOUT) }
      var poller = pollfd(fd: input, events: events, revents: 0)
      let ready = poll(&poller, 1, 100)
      if ready < 0 && errno != EINTR { return }
      if ready <= 0 {
        if let endOnIdle, sawTraffic, let since = quietSince, Date().timeIntervalSince(since) >= endOnIdle { return }
        if quietSince == nil { quietSince = Date() }
        continue
      }
      if poller.revents & Int16(POLLIN) != 0 && !closeAfterFlush {
        let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        if count == 0 { return }
        if count < 0 {
          if errno == EAGAIN || errno == EINTR || errno == EIO { usleep(10_000); continue }
          return
        }
        sawTraffic = true
        quietSince = nil
        let (deliver, event, _) = wireFaults.pass(Array(buffer[0..<count]), .hostToDevice)
        board.receive(deliver, hostBaud: nil)
        switch event {
        case .close?:
          onFault("connection closed while the host wrote")
          absorb(board.takeOutput(hostBaud: nil))
          return
        case .reset?:
          onFault("chip reset mid-request")
          board.reset(intoDownloadMode: true)
        case .stall?:
          onFault("host→device bytes lost in a stall")
        case nil:
          break
        }
        if board.hasOutput { absorb(board.takeOutput(hostBaud: nil)) }
      } else if poller.revents & Int16(POLLHUP | POLLERR) != 0 && poller.revents & Int16(POLLOUT) == 0 {
        if endOnIdle == nil { return }
        usleep(50_000)
        continue
      }
      if head < outgoing.count {
        let written = outgoing[head...].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
        if written > 0 { head += written } else if written < 0, errno != EAGAIN, errno != EINTR { return }
        if head == outgoing.count { outgoing.removeAll(keepingCapacity: true); head = 0 }
      }
    }
  }
}

#if canImport(Glibc)
// Glibc's Swift module does not export the XSI pseudo-terminal calls (they need _XOPEN_SOURCE); bind them
// by symbol name. Signatures from POSIX.
@_silgen_name("posix_openpt") private func posix_openpt(_ flags: Int32) -> Int32
@_silgen_name("grantpt") private func grantpt(_ fd: Int32) -> Int32
@_silgen_name("unlockpt") private func unlockpt(_ fd: Int32) -> Int32
@_silgen_name("ptsname") private func ptsname(_ fd: Int32) -> UnsafeMutablePointer<CChar>?
#endif

@inline(__always) private func Glibc_listen(_ fd: Int32, _ backlog: Int32) -> Int32 {
  listen(fd, backlog)
}
