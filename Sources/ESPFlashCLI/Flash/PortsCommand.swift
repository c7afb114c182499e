import ArgumentParser
import ESPFlashKit
import ESPLoader
import ESPTransport

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
      try Console.json(ports.map(PortReport.init))
      return
    }
    if ports.isEmpty {
      Console.note("No serial ports found.")
      return
    }
    for p in ports {
      var line = p.path
      if let v = p.vendorID, let d = p.productID {
        line += "  " + PortReport.fourDigits(v).uppercased() + ":" + PortReport.fourDigits(d).uppercased()
      }
      if let b = p.bridge { line += "  \(b)" }
      if let prod = p.product { line += "  \"\(prod)\"" }
      if let s = p.serialNumber { line += "  serial \(s)" }
      Console.print(line)
      for link in p.byID { Console.print("    \(link)") }
    }
  }
}
