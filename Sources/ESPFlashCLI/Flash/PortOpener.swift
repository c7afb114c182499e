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
    let usb = PortList.list().contains { $0.path == resolved && $0.isUSBJTAGSerial }
    return Opened(transport: try SerialPort(path: spec, baudRate: baud), usbJTAGSerial: usb)
  }

  /// `--port`, else `ESPFLASH_PORT`, else the only USB serial port present.
  static func resolve(_ port: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
    if let port, !port.isEmpty { return port }
    if let env = environment["ESPFLASH_PORT"], !env.isEmpty { return env }
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
