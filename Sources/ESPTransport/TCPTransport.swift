import ESPLoader
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `socket://HOST:PORT`: a raw TCP byte stream to a serial server, esp32-mock-bootloader or the virtual board's
/// server. No control lines, so esptool (and this tool) skips the reset (§3.2); baud changes are host-side only.
public final class TCPTransport: Transport {
  public let name: String
  public private(set) var baudRate: Int
  public var supportsControlLines: Bool { false }
  private var fd: Int32 = -1

  /// Parses `socket://host:port` (IPv6 as `[::1]:port`).
  public static func parse(_ url: String) throws(TransportError) -> (host: String, port: UInt16) {
    guard url.hasPrefix("socket://") else { throw .invalidAddress(url, reason: "expected socket://HOST:PORT") }
    let rest = String(url.dropFirst("socket://".count)).split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
    guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]), port > 0 else {
      throw .invalidAddress(url, reason: "expected socket://HOST:PORT with a port number")
    }
    var host = String(rest[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { throw .invalidAddress(url, reason: "no host name") }
    return (host, port)
  }

  public init(url: String, connectTimeout: Double = 5, baudRate: Int = 115_200) throws(TransportError) {
    name = url
    self.baudRate = baudRate
    let (host, port) = try Self.parse(url)
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    #if canImport(Glibc)
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    #else
    hints.ai_socktype = SOCK_STREAM
    #endif
    var list: UnsafeMutablePointer<addrinfo>?
    let rc = getaddrinfo(host, String(port), &hints, &list)
    guard rc == 0, let first = list else {
      throw .cannotOpen(name: url, errno: rc, detail: "cannot resolve \(host): " + String(cString: gai_strerror(rc)))
    }
    defer { freeaddrinfo(list) }
    var lastErrno: Int32 = 0
    var candidate: UnsafeMutablePointer<addrinfo>? = first
    while let info = candidate {
      candidate = info.pointee.ai_next
      #if canImport(Glibc)
      let socketType = info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue)
      #else
      let socketType = info.pointee.ai_socktype
      #endif
      let s = socket(info.pointee.ai_family, socketType, info.pointee.ai_protocol)
      guard s >= 0 else { lastErrno = errno; continue }
      _ = fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK)
      if connect(s, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
        let code = errno
        guard code == EINPROGRESS else { lastErrno = code; Glibc_close(s); continue }
        let state = FileDescriptorIO.wait(s, events: Int16(POLLOUT), timeout: connectTimeout)
        var soError: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(s, SOL_SOCKET, SO_ERROR, &soError, &len)
        guard state.ready, soError == 0 else {
          lastErrno = state.ready ? soError : ETIMEDOUT
          Glibc_close(s)
          continue
        }
      }
      var one: Int32 = 1
      setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
      fd = s
      return
    }
    let detail = lastErrno == ETIMEDOUT ? "connection timed out after \(Int(connectTimeout)) s"
      : FileDescriptorIO.errorText(lastErrno)
    throw .cannotOpen(name: url, errno: lastErrno, detail: detail)
  }

  deinit { close() }

  public func write(_ bytes: [UInt8]) throws(TransportError) {
    guard fd >= 0 else { throw .closed(name: name) }
    #if canImport(Glibc)
    let flags = Int32(MSG_NOSIGNAL)
    #else
    let flags: Int32 = 0
    #endif
    try FileDescriptorIO.writeAll(fd, name: name, bytes: bytes) { send($0, $1, $2, flags) }
  }

  public func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8] {
    guard fd >= 0 else { throw .closed(name: name) }
    return try FileDescriptorIO.read(fd, name: name, maxCount: maxCount, timeout: timeout, hangupIsDisconnect: true)
  }

  /// Drops whatever the peer already sent.
  public func discardInput() throws(TransportError) {
    guard fd >= 0 else { throw .closed(name: name) }
    while true {
      let chunk = try FileDescriptorIO.read(fd, name: name, maxCount: 65536, timeout: 0, hangupIsDisconnect: true)
      if chunk.isEmpty { return }
    }
  }

  public func setBaudRate(_ baud: Int) throws(TransportError) { baudRate = baud }

  public func setControlLines(dtr: Bool?, rts: Bool?) throws(TransportError) {
    throw .controlLinesUnsupported(name: name)
  }

  public func close() {
    guard fd >= 0 else { return }
    Glibc_close(fd)
    fd = -1
  }
}
