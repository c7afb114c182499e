/// The one seam between the loader and a device: a serial port, a TCP socket or the in-process virtual
/// board. Everything above it is pure protocol, so the same flasher code drives all three.
///
/// Transports are used from one task at a time; they are classes because they own an OS handle or a device.
public protocol Transport: AnyObject {
  /// A human-readable name for messages: the port path or URL.
  var name: String { get }

  /// Writes all bytes or throws.
  func write(_ bytes: [UInt8]) throws(TransportError)

  /// Returns what arrives within `timeout` seconds, at most `maxCount` bytes; empty on timeout.
  func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8]

  /// Drops bytes received but not yet read.
  func discardInput() throws(TransportError)

  /// Changes the line speed. Network transports accept and ignore it.
  func setBaudRate(_ baud: Int) throws(TransportError)

  /// The current line speed, as the host sees it.
  var baudRate: Int { get }

  /// Sets DTR and/or RTS (true = asserted = pin low on the usual auto-reset circuit). nil leaves a line alone.
  /// Throws `.controlLinesUnsupported` where the link has none (TCP, some ptys).
  func setControlLines(dtr: Bool?, rts: Bool?) throws(TransportError)

  /// Whether DTR/RTS reach a chip; false for sockets, where esptool forces `--before no-reset`.
  var supportsControlLines: Bool { get }

  /// Releases the OS handle. Further calls throw `.closed`.
  func close()
}

/// A failure below the protocol: the OS, the socket, the port.
public enum TransportError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The port or host could not be opened; `errno` as the OS gave it.
  case cannotOpen(name: String, errno: Int32, detail: String)
  /// Another program holds the port (TIOCEXCL or a lock file).
  case busy(name: String)
  /// A read, write or ioctl failed.
  case io(name: String, operation: String, errno: Int32, detail: String)
  /// The speed is not one this OS or adapter can set.
  case unsupportedBaudRate(name: String, baud: Int)
  /// The link has no DTR/RTS (TCP socket, some pseudo-terminals).
  case controlLinesUnsupported(name: String)
  /// The peer closed the connection or the device went away.
  case disconnected(name: String)
  /// The transport was already closed.
  case closed(name: String)
  /// A port URL or path this build does not understand.
  case invalidAddress(String, reason: String)

  public var description: String {
    switch self {
    case .cannotOpen(let name, let errno, let detail):
      "cannot open \(name): \(detail) (errno \(errno))"
    case .busy(let name):
      "port \(name) is busy (a serial monitor or another flasher holds it)"
    case .io(let name, let operation, let errno, let detail):
      "\(operation) on \(name) failed: \(detail) (errno \(errno))"
    case .unsupportedBaudRate(let name, let baud):
      "\(name) cannot be set to \(baud) baud"
    case .controlLinesUnsupported(let name):
      "\(name) has no DTR/RTS control lines"
    case .disconnected(let name):
      "\(name) disconnected"
    case .closed(let name):
      "\(name) is closed"
    case .invalidAddress(let address, let reason):
      "invalid port '\(address)': \(reason)"
    }
  }
}
