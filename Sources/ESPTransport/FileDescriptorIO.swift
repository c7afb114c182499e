import ESPLoader
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// poll-based reads and writes on a non-blocking descriptor, shared by the serial port and the TCP socket.
enum FileDescriptorIO {
  static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// Waits up to `timeout` seconds for `events`; true when ready.
  static func wait(_ fd: Int32, events: Int16, timeout: Double) -> (ready: Bool, hangup: Bool, errno: Int32) {
    var pfd = pollfd(fd: fd, events: events, revents: 0)
    let deadline = Monotonic.now() + max(0, timeout)
    while true {
      let ms = Int32(clamping: Int(max(0, (deadline - Monotonic.now()) * 1000).rounded(.up)))
      let n = poll(&pfd, 1, ms)
      if n < 0 {
        if errno == EINTR { continue }
        return (false, false, errno)
      }
      if n == 0 { return (false, false, 0) }
      let hangup = pfd.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
      return (pfd.revents & events != 0, hangup, 0)
    }
  }

  /// Reads what arrives within `timeout`; empty only when the timeout has passed.
  static func read(_ fd: Int32, name: String, maxCount: Int, timeout: Double,
                   hangupIsDisconnect: Bool) throws(TransportError) -> [UInt8] {
    let deadline = Monotonic.now() + max(0, timeout)
    var buffer = [UInt8](repeating: 0, count: max(1, maxCount))
    while true {
      let state = wait(fd, events: Int16(POLLIN), timeout: deadline - Monotonic.now())
      if state.errno != 0 { throw .io(name: name, operation: "poll", errno: state.errno, detail: errorText(state.errno)) }
      if !state.ready {
        if state.hangup && hangupIsDisconnect { throw .disconnected(name: name) }
        return []
      }
      let n = buffer.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress, $0.count) }
      if n > 0 {
        buffer.removeSubrange(n...)
        return buffer
      }
      if n == 0 {
        if hangupIsDisconnect { throw .disconnected(name: name) }
      } else {
        let code = errno
        if code == EIO || code == ENXIO || code == ENODEV { throw .disconnected(name: name) }
        if code != EAGAIN && code != EWOULDBLOCK && code != EINTR {
          throw .io(name: name, operation: "read", errno: code, detail: errorText(code))
        }
      }
      if Monotonic.now() >= deadline { return [] }
      // A pty reports POLLIN with nothing to read while its other side is closed: don't spin.
      if n == 0 { Monotonic.sleep(min(0.005, max(0, deadline - Monotonic.now()))) }
    }
  }

  /// Writes everything, waiting for room; gives up after `timeout` seconds without progress (esptool: 10 s).
  static func writeAll(_ fd: Int32, name: String, bytes: [UInt8], timeout: Double = 10,
                       send: (Int32, UnsafeRawPointer, Int) -> Int) throws(TransportError) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n > 0 { offset += n; continue }
      let code = errno
      if n < 0 && code == EINTR { continue }
      if n < 0 && code != EAGAIN && code != EWOULDBLOCK {
        if code == EPIPE || code == ECONNRESET || code == EIO || code == ENXIO { throw .disconnected(name: name) }
        throw .io(name: name, operation: "write", errno: code, detail: errorText(code))
      }
      let state = wait(fd, events: Int16(POLLOUT), timeout: timeout)
      if state.errno != 0 { throw .io(name: name, operation: "poll", errno: state.errno, detail: errorText(state.errno)) }
      if !state.ready {
        if state.hangup { throw .disconnected(name: name) }
        throw .io(name: name, operation: "write", errno: ETIMEDOUT, detail: "no progress for \(Int(timeout)) s")
      }
    }
  }
}

@inline(__always) func Glibc_read(_ fd: Int32, _ buf: UnsafeMutableRawPointer?, _ n: Int) -> Int {
  #if canImport(Glibc)
  Glibc.read(fd, buf, n)
  #else
  Darwin.read(fd, buf, n)
  #endif
}

@inline(__always) func Glibc_write(_ fd: Int32, _ buf: UnsafeRawPointer?, _ n: Int) -> Int {
  #if canImport(Glibc)
  Glibc.write(fd, buf, n)
  #else
  Darwin.write(fd, buf, n)
  #endif
}

@inline(__always) func Glibc_close(_ fd: Int32) {
  #if canImport(Glibc)
  _ = Glibc.close(fd)
  #else
  _ = Darwin.close(fd)
  #endif
}
