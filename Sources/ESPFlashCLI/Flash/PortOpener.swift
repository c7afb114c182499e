import DeviceSimulator
import ESPLoader
import Foundation

/// Turns a `--port` value into a transport: `socket://HOST:PORT`, `sim://CHIP?…` (the in-process virtual
/// board), or a device path (`/dev/ttyUSB0`, `/dev/serial/by-id/…`, `/dev/cu.*`).
enum PortOpener {
  struct Opened {
    var transport: any Transport
    /// The chip's own USB-Serial/JTAG: use its reset sequence.
    var usbJTAGSerial: Bool
    /// The USB ids of the port, when it has any (a socket or a pty has none).
    var usbIDs: (vendor: UInt16, product: UInt16)? = nil
  }

  static func open(_ spec: String, baud: Int) throws -> Opened {
    if spec.hasPrefix("socket://") {
      return Opened(transport: try TCPTransport(url: spec, baudRate: baud), usbJTAGSerial: false)
    }
    if spec.hasPrefix("sim://") {
      let transport = try VirtualBoardURL.open(spec)
      try? transport.setBaudRate(baud)
      return Opened(transport: transport, usbJTAGSerial: false)
    }
    if spec.contains("://") {
      throw CLIError("port '\(spec)' uses a scheme this tool does not speak",
                     hint: "use a device path, socket://HOST:PORT or sim://esp8266", status: .usage)
    }
    let resolved = URL(fileURLWithPath: spec).resolvingSymlinksInPath().path
    let info = PortList.list().first { $0.path == resolved }
    let usb = info?.isUSBJTAGSerial ?? false
    let port = try SerialPort(path: spec, baudRate: baud)
    // A monitor that opened the port without locking it still steals the board's replies (P10): say who.
    let others = holders(of: spec)
    if !others.isEmpty {
      DeviceSession.note("Warning: \(spec) is also open in " + others.joined(separator: ", ")
                         + "; close it if the connection fails or replies go missing.")
    }
    var opened = Opened(transport: port, usbJTAGSerial: usb)
    if let v = info?.vendorID, let p = info?.productID { opened.usbIDs = (v, p) }
    return opened
  }

  /// `--port`, else `ESPFLASH_PORT` (or esptool's `ESPTOOL_PORT`), else the only USB serial port present.
  static func resolve(_ port: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
    if let port, !port.isEmpty { return port }
    for key in ["ESPFLASH_PORT", "ESPTOOL_PORT"] {
      if let env = environment[key], !env.isEmpty { return env }
    }
    let candidates = PortList.list().filter { $0.vendorID != nil }
    if candidates.count == 1 { return candidates[0].path }
    if candidates.isEmpty {
      throw CLIError("no serial port given and no USB serial port found",
                     hint: "connect the board, or pass --port /dev/ttyUSB0 (or set ESPFLASH_PORT); "
                       + "`espflash-swift ports` lists what the system sees", status: .unavailable)
    }
    throw CLIError("no serial port given and \(candidates.count) USB serial ports found: "
                   + candidates.map(\.path).joined(separator: ", "),
                   hint: "pass --port with one of them (or set ESPFLASH_PORT)", status: .usage)
  }

  /// Processes that have `path` open (Linux /proc scan), for the "port is busy" hint.
  static func holders(of path: String) -> [String] {
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
