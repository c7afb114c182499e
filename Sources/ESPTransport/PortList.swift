import ESPLoader
import Foundation

/// A serial port the system offers, with what the USB descriptors say about it.
public struct SerialPortInfo: Sendable, Equatable, Codable {
  public var path: String
  public var vendorID: UInt16?
  public var productID: UInt16?
  public var product: String?
  public var manufacturer: String?
  public var serialNumber: String?
  /// The USB-serial bridge, by VID:PID ("CP210x", "CH340", …).
  public var bridge: String?
  /// Stable `/dev/serial/by-id/…` names that point at this port.
  public var byID: [String]

  /// The chips' own USB-Serial/JTAG, which needs its own reset sequence (§3.2).
  public var isUSBJTAGSerial: Bool { vendorID == 0x303A && productID == 0x1001 }
}

/// Lists serial ports: Linux from sysfs (`/sys/class/tty/*/device`) and `/dev/serial/by-id`, macOS from
/// `/dev/cu.*`.
public enum PortList {
  /// Bridge names by USB VID:PID, the adapters ESP boards carry.
  public static func bridgeName(vendor: UInt16, product: UInt16) -> String? {
    switch (vendor, product) {
    case (0x10C4, 0xEA60): "CP210x"
    case (0x10C4, 0xEA70): "CP2105"
    case (0x10C4, 0xEA71): "CP2108"
    case (0x10C4, 0xEA64): "CP2102C (flow-control reset)"
    case (0x1A86, 0x7523): "CH340"
    case (0x1A86, 0x5523): "CH341"
    case (0x1A86, 0x55D4): "CH9102"
    case (0x1A86, 0x55D3): "CH343"
    case (0x0403, 0x6001): "FTDI FT232R"
    case (0x0403, 0x6010): "FTDI FT2232"
    case (0x0403, 0x6011): "FTDI FT4232"
    case (0x0403, 0x6014): "FTDI FT232H"
    case (0x0403, 0x6015): "FTDI FT-X"
    case (0x303A, 0x1001): "Espressif USB-JTAG-serial"
    case (0x303A, 0x0002): "Espressif USB-OTG (ESP32-S2/S3 ROM)"
    case (0x067B, 0x2303): "Prolific PL2303"
    default: nil
    }
  }

  public static func list(sysClassTTY: String = "/sys/class/tty", byIDDirectory: String = "/dev/serial/by-id",
                          devDirectory: String = "/dev") -> [SerialPortInfo] {
    let fm = FileManager.default
    var links: [String: [String]] = [:]
    for name in (try? fm.contentsOfDirectory(atPath: byIDDirectory)) ?? [] {
      let link = byIDDirectory + "/" + name
      let target = URL(fileURLWithPath: link).resolvingSymlinksInPath().path
      links[target, default: []].append(link)
    }
    var ports: [SerialPortInfo] = []
    #if os(macOS)
    // The USB ids come from the I/O Registry (`ioreg`), where each USB device lists the callout device of
    // its serial interface: that is how a chip's own USB-Serial/JTAG (303A:1001) is recognised on macOS.
    let usb = MacUSBRegistry.idsByCalloutDevice(MacUSBRegistry.read())
    for name in ((try? fm.contentsOfDirectory(atPath: devDirectory)) ?? []).sorted() where name.hasPrefix("cu.") {
      var info = SerialPortInfo(path: devDirectory + "/" + name, byID: [])
      if let ids = usb[info.path] {
        info.vendorID = ids.vendor
        info.productID = ids.product
        info.bridge = bridgeName(vendor: ids.vendor, product: ids.product)
      }
      ports.append(info)
    }
    #else
    for name in ((try? fm.contentsOfDirectory(atPath: sysClassTTY)) ?? []).sorted() {
      let deviceLink = "\(sysClassTTY)/\(name)/device"
      guard let device = try? fm.destinationOfSymbolicLink(atPath: deviceLink) else { continue }
      let devicePath = URL(fileURLWithPath: deviceLink).resolvingSymlinksInPath().path
      // The 32 legacy ttyS ports the 8250 driver always registers are not real unless they have a USB or
      // platform parent other than serial8250.
      let driver = (try? fm.destinationOfSymbolicLink(atPath: devicePath + "/driver")).map { ($0 as NSString).lastPathComponent }
      if driver == "serial8250" || device.hasSuffix("serial8250") { continue }
      var info = SerialPortInfo(path: devDirectory + "/" + name, byID: (links[devDirectory + "/" + name] ?? []).sorted())
      var dir = devicePath
      for _ in 0..<5 {
        if let vid = read(dir + "/idVendor").flatMap({ UInt16($0, radix: 16) }) {
          info.vendorID = vid
          info.productID = read(dir + "/idProduct").flatMap { UInt16($0, radix: 16) }
          info.product = read(dir + "/product")
          info.manufacturer = read(dir + "/manufacturer")
          info.serialNumber = read(dir + "/serial")
          break
        }
        dir = (dir as NSString).deletingLastPathComponent
      }
      if let v = info.vendorID, let p = info.productID { info.bridge = bridgeName(vendor: v, product: p) }
      ports.append(info)
    }
    #endif
    return ports
  }

  private static func read(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? nil : text
  }
}

/// Reads USB vendor/product ids of serial devices from the macOS I/O Registry text (`ioreg -r -c
/// IOUSBHostDevice -l -w 0`): each device block carries `"idVendor" = 12346`, `"idProduct" = 4097`, and
/// somewhere below it `"IOCalloutDevice" = "/dev/cu.usbmodem1101"`. Parsing is plain text so it is tested
/// on any system; only `read` needs macOS.
public enum MacUSBRegistry {
  public static func idsByCalloutDevice(_ text: String) -> [String: (vendor: UInt16, product: UInt16)] {
    var result: [String: (vendor: UInt16, product: UInt16)] = [:]
    var vendor: UInt16?
    var product: UInt16?
    for line in text.split(separator: "\n") {
      if line.contains("+-o "), line.contains("<class IOUSBHostDevice") || line.contains("<class IOUSBDevice") {
        vendor = nil
        product = nil
      } else if let value = number(after: "\"idVendor\" = ", in: line) {
        vendor = vendor ?? value
      } else if let value = number(after: "\"idProduct\" = ", in: line) {
        product = product ?? value
      } else if let range = line.range(of: "\"IOCalloutDevice\" = \""), let vendor, let product {
        let path = line[range.upperBound...].prefix { $0 != "\"" }
        result[String(path)] = (vendor, product)
      }
    }
    return result
  }

  private static func number(after key: String, in line: Substring) -> UInt16? {
    guard let range = line.range(of: key) else { return nil }
    return UInt16(line[range.upperBound...].prefix { $0.isNumber })
  }

  /// The registry text, or "" where `ioreg` is not available.
  public static func read() -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/ioreg")
    process.arguments = ["-r", "-c", "IOUSBHostDevice", "-l", "-w", "0"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return "" }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}
