import ArgumentParser
import ESPLoader
import Foundation

/// `ports`: the serial ports the system offers, with the USB bridge behind each.
struct PortsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ports",
    abstract: "List serial ports with their USB bridge (CP210x, CH340, FTDI, Espressif USB-JTAG, …).",
    aliases: ["list-ports"]
  )

  @Flag(help: "Print the list as JSON on stdout.")
  var json = false

  func run() throws {
    let ports = PortList.list()
    if json {
      JSONOutput.print(ports.map { p -> [String: Any] in
        var o: [String: Any] = ["path": p.path, "byId": p.byID]
        if let v = p.vendorID { o["vid"] = String(format: "%04x", v) }
        if let v = p.productID { o["pid"] = String(format: "%04x", v) }
        if let v = p.bridge { o["bridge"] = v }
        if let v = p.product { o["product"] = v }
        if let v = p.manufacturer { o["manufacturer"] = v }
        if let v = p.serialNumber { o["serial"] = v }
        return o
      })
      return
    }
    if ports.isEmpty {
      FileHandle.standardError.write(Data("No serial ports found.\n".utf8))
      return
    }
    for p in ports {
      var line = p.path
      if let v = p.vendorID, let d = p.productID { line += String(format: "  %04X:%04X", v, d) }
      if let b = p.bridge { line += "  \(b)" }
      if let prod = p.product { line += "  \"\(prod)\"" }
      if let s = p.serialNumber { line += "  serial \(s)" }
      print(line)
      for link in p.byID { print("    \(link)") }
    }
  }
}
