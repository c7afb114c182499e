import ESPLoader
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A serial port in raw 8N1 mode at any rate from 9600 to 3,000,000 baud, with DTR/RTS control, opened
/// exclusively so a serial monitor and a flasher cannot share it unnoticed (users' pain point P10).
///
/// Linux sets every rate with `termios2`/`BOTHER` (TCSETS2), so 74880, 1500000 and 2000000 work where the
/// adapter does; macOS uses `IOSSIOSPEED`.
public final class SerialPort: Transport {
  public let name: String
  public private(set) var baudRate: Int
  public var supportsControlLines: Bool { true }
  private var fd: Int32

  /// Opens `path` (O_NOCTTY | O_NONBLOCK), takes TIOCEXCL and an flock, and sets raw 8N1 at `baudRate`.
  public init(path: String, baudRate: Int = 115_200) throws(TransportError) {
    name = path
    self.baudRate = baudRate
    fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
    if fd < 0 {
      let code = errno
      if code == EBUSY { throw .busy(name: path) }
      throw .cannotOpen(name: path, errno: code, detail: FileDescriptorIO.errorText(code))
    }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let code = errno
      Glibc_close(fd)
      fd = -1
      if code == EWOULDBLOCK || code == EAGAIN { throw .busy(name: path) }
      throw .cannotOpen(name: path, errno: code, detail: "flock: " + FileDescriptorIO.errorText(code))
    }
    // Keeps other non-root programs from opening it while we flash; ptys and some drivers refuse, harmlessly.
    _ = ioctl(fd, UInt(TIOCEXCL))
    do {
      try configureRaw()
      try setBaudRate(baudRate)
    } catch {
      close()
      throw error
    }
  }

  deinit { close() }

  private func configureRaw() throws(TransportError) {
    var t = termios()
    guard tcgetattr(fd, &t) == 0 else { throw ioError("tcgetattr") }
    cfmakeraw(&t)
    t.c_cflag |= tcflag_t(CLOCAL) | tcflag_t(CREAD)
    t.c_cflag &= ~(tcflag_t(CSTOPB) | tcflag_t(PARENB) | tcflag_t(CRTSCTS))
    t.c_cflag = (t.c_cflag & ~tcflag_t(CSIZE)) | tcflag_t(CS8)
    t.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
    // VMIN/VTIME 0: reads never block; timeouts come from poll().
    withUnsafeMutableBytes(of: &t.c_cc) { cc in
      cc[Int(VMIN)] = 0
      cc[Int(VTIME)] = 0
    }
    guard tcsetattr(fd, TCSANOW, &t) == 0 else { throw ioError("tcsetattr") }
  }

  public func setBaudRate(_ baud: Int) throws(TransportError) {
    guard fd >= 0 else { throw .closed(name: name) }
    guard baud >= 300, baud <= 12_000_000 else { throw .unsupportedBaudRate(name: name, baud: baud) }
    #if os(Linux)
    var t2 = Termios2()
    guard withUnsafeMutablePointer(to: &t2, { ioctl(fd, Termios2.TCGETS2, $0) }) == 0 else { throw ioError("TCGETS2") }
    t2.c_cflag = (t2.c_cflag & ~Termios2.CBAUD) | Termios2.BOTHER
    t2.c_cflag = (t2.c_cflag & ~(Termios2.CBAUD << Termios2.IBSHIFT)) | (Termios2.BOTHER << Termios2.IBSHIFT)
    t2.c_ispeed = UInt32(baud)
    t2.c_ospeed = UInt32(baud)
    guard withUnsafeMutablePointer(to: &t2, { ioctl(fd, Termios2.TCSETS2, $0) }) == 0 else {
      let code = errno
      if code == EINVAL { throw .unsupportedBaudRate(name: name, baud: baud) }
      throw .io(name: name, operation: "TCSETS2 (\(baud) baud)", errno: code, detail: FileDescriptorIO.errorText(code))
    }
    #elseif os(macOS)
    // IOSSIOSPEED = _IOW('T', 2, speed_t): any rate the driver accepts.
    var speed = speed_t(baud)
    let IOSSIOSPEED: UInt = 0x8008_5402
    guard ioctl(fd, IOSSIOSPEED, &speed) == 0 else { throw .unsupportedBaudRate(name: name, baud: baud) }
    #else
    throw .unsupportedBaudRate(name: name, baud: baud)
    #endif
    baudRate = baud
  }

  public func write(_ bytes: [UInt8]) throws(TransportError) {
    guard fd >= 0 else { throw .closed(name: name) }
    try FileDescriptorIO.writeAll(fd, name: name, bytes: bytes) { Glibc_write($0, $1, $2) }
  }

  public func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8] {
    guard fd >= 0 else { throw .closed(name: name) }
    // A vanished USB adapter (or a pty whose other side closed) shows as POLLHUP/POLLERR or EOF: report it as
    // a disconnect at once rather than as a timeout.
    return try FileDescriptorIO.read(fd, name: name, maxCount: maxCount, timeout: timeout, hangupIsDisconnect: true)
  }

  public func discardInput() throws(TransportError) {
    guard fd >= 0 else { throw .closed(name: name) }
    guard tcflush(fd, TCIFLUSH) == 0 else { throw ioError("tcflush") }
  }

  /// Both lines at once with TIOCMGET/TIOCMSET (UnixTightReset needs the pair atomic); one line with
  /// TIOCMBIS/TIOCMBIC.
  public func setControlLines(dtr: Bool?, rts: Bool?) throws(TransportError) {
    guard fd >= 0 else { throw .closed(name: name) }
    let dtrBit = Int32(TIOCM_DTR), rtsBit = Int32(TIOCM_RTS)
    if let dtr, let rts {
      var bits: Int32 = 0
      guard ioctl(fd, UInt(TIOCMGET), &bits) == 0 else { throw controlError("TIOCMGET") }
      bits = dtr ? bits | dtrBit : bits & ~dtrBit
      bits = rts ? bits | rtsBit : bits & ~rtsBit
      guard ioctl(fd, UInt(TIOCMSET), &bits) == 0 else { throw controlError("TIOCMSET") }
      return
    }
    for (value, bit) in [(dtr, dtrBit), (rts, rtsBit)] {
      guard let value else { continue }
      var b = bit
      guard ioctl(fd, UInt(value ? TIOCMBIS : TIOCMBIC), &b) == 0 else { throw controlError(value ? "TIOCMBIS" : "TIOCMBIC") }
    }
  }

  public func close() {
    guard fd >= 0 else { return }
    _ = flock(fd, LOCK_UN)
    Glibc_close(fd)
    fd = -1
  }

  private func ioError(_ op: String) -> TransportError {
    let code = errno
    return .io(name: name, operation: op, errno: code, detail: FileDescriptorIO.errorText(code))
  }

  private func controlError(_ op: String) -> TransportError {
    let code = errno
    if code == ENOTTY || code == EINVAL { return .controlLinesUnsupported(name: name) }
    return .io(name: name, operation: op, errno: code, detail: FileDescriptorIO.errorText(code))
  }
}

#if os(Linux)
/// `struct termios2` from <asm/termbits.h> (asm-generic layout: x86, ARM, RISC-V), which Glibc's module
/// does not export: four flag words, the line discipline, 19 control characters, then the two speeds.
struct Termios2 {
  var c_iflag: UInt32 = 0
  var c_oflag: UInt32 = 0
  var c_cflag: UInt32 = 0
  var c_lflag: UInt32 = 0
  var c_line: UInt8 = 0
  var c_cc: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  var c_ispeed: UInt32 = 0
  var c_ospeed: UInt32 = 0

  /// _IOR('T', 0x2A, struct termios2) and _IOW('T', 0x2B, …) with sizeof = 44.
  static let TCGETS2 = UInt(0x802C_542A)
  static let TCSETS2 = UInt(0x402C_542B)
  static let CBAUD: UInt32 = 0o010017
  static let BOTHER: UInt32 = 0o010000
  static let IBSHIFT: UInt32 = 16
}
#endif
