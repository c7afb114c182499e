import DeviceSimulator
import ESPLoader
import ESPTransport
import Foundation

/// Turns a port address into a transport: `socket://HOST:PORT`, `sim://CHIP?…` (the in-process virtual board),
/// or a device path (`/dev/ttyUSB0`, `/dev/serial/by-id/…`, `/dev/cu.*`).
public enum PortAddress {
  public struct Opened {
    public var transport: any Transport
    /// The chip's own USB-Serial/JTAG: use its reset sequence.
    public var usbJTAGSerial: Bool
    /// The port's USB ids, when it has any (a socket or a pty has none).
    public var usbIDs: (vendor: UInt16, product: UInt16)? = nil
  }

  public static func open(_ spec: String, baud: Int, events: WorkflowEvents) throws -> Opened {
    if spec.hasPrefix("socket://") {
      return Opened(transport: try TCPTransport(url: spec, baudRate: baud), usbJTAGSerial: false)
    }
    if spec.hasPrefix("sim://") {
      let transport = try VirtualBoardURL.open(spec)
      try? transport.setBaudRate(baud)
      return Opened(transport: transport, usbJTAGSerial: false)
    }
    if spec.contains("://") { throw PortError.unknownScheme(spec) }
    let resolved = URL(fileURLWithPath: spec).resolvingSymlinksInPath().path
    let info = PortList.list().first { $0.path == resolved }
    let usb = info?.isUSBJTAGSerial ?? false
    let port = try SerialPort(path: spec, baudRate: baud)
    // A monitor that opened the port without locking it still steals the board's replies (P10): say who.
    let others = holders(of: spec)
    if !others.isEmpty {
      events(.note("Warning: \(spec) is also open in " + others.joined(separator: ", ")
                   + "; close it if the connection fails or replies go missing."))
    }
    var opened = Opened(transport: port, usbJTAGSerial: usb)
    if let v = info?.vendorID, let p = info?.productID { opened.usbIDs = (v, p) }
    return opened
  }

  /// `port`, else `ESPFLASH_PORT` (or esptool's `ESPTOOL_PORT`), else the only USB serial port present.
  public static func resolve(_ port: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(PortError) -> String {
    if let port, !port.isEmpty { return port }
    for key in ["ESPFLASH_PORT", "ESPTOOL_PORT"] {
      if let env = environment[key], !env.isEmpty { return env }
    }
    let candidates = PortList.list().filter { $0.vendorID != nil }
    if candidates.count == 1 { return candidates[0].path }
    if candidates.isEmpty { throw .noPortFound }
    throw .severalPorts(candidates.map(\.path))
  }

  /// Processes that have `path` open (Linux /proc scan), for the "port is busy" hint.
  public static func holders(of path: String) -> [String] {
    #if os(Linux)
    let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    var found: [String] = []
    let fm = FileManager.default
    for pid in (try? fm.contentsOfDirectory(atPath: "/proc")) ?? [] where pid.allSatisfy(\.isNumber) {
      guard pid != String(getpid()) else { continue }
      for fd in (try? fm.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? [] {
        if (try? fm.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) == target {
          let comm = (fm.contents(atPath: "/proc/\(pid)/comm")).map { String(decoding: $0, as: UTF8.self) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
          found.append("PID \(pid) (\(comm))")
          break
        }
      }
    }
    return found
    #else
    return []
    #endif
  }
}

/// A port address that names no usable port.
public enum PortError: Error, Equatable, Sendable, CustomStringConvertible {
  case unknownScheme(String)
  /// No address given and no USB serial port present.
  case noPortFound
  /// No address given and more than one USB serial port present.
  case severalPorts([String])

  public var description: String {
    switch self {
    case .unknownScheme(let spec): "port '\(spec)' uses a scheme this tool does not speak"
    case .noPortFound: "no serial port given and no USB serial port found"
    case .severalPorts(let paths):
      "no serial port given and \(paths.count) USB serial ports found: " + paths.joined(separator: ", ")
    }
  }
}

/// A port that could not be opened, with who holds it when it is busy.
public struct PortOpenFailure: Error, CustomStringConvertible {
  public var error: TransportError
  public var holders: [String]

  public init(error: TransportError, holders: [String]) {
    self.error = error
    self.holders = holders
  }

  public var description: String { error.description }
}
