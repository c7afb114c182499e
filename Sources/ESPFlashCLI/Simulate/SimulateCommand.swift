import ArgumentParser
import DeviceSimulator
import ESPLoader

/// `espflash-swift simulate`: serve the virtual board to other programs.
struct SimulateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Serve a virtual ESP8266/ESP32 board over TCP or a pseudo-terminal.",
    discussion: """
      The board runs the ROM serial loader and, after a stub upload, behaves as esptool's flasher stub, over \
      simulated NOR flash. With --listen, connections are accepted one after another; each finds the chip \
      freshly reset into the ROM download mode, and the flash carries over. Port 0 picks a free port; the \
      resulting socket://HOST:PORT URL is printed on stdout. With --pty, the path of a pseudo-terminal is \
      printed instead; it has no DTR/RTS lines, so clients cannot reset the board (esptool warns once and \
      goes on) and the board keeps its state between clients. The image is saved after each connection, \
      after each quiet second on a pty, and on exit (SIGINT/SIGTERM).
      --fault SPEC (repeatable) breaks the line once, at a byte count from the start of serving, so a client's \
      recovery can be tested: [h2d:|d2h:]ACTION@N[:SECONDS] with ACTION drop (lose the byte), flip (flip its \
      low bit), stall (hold everything from there for SECONDS, default 6), close (drop the connection) or \
      reset (reset the chip into its ROM loader, host→device only). Without a direction, drop/flip/stall hit \
      the board's replies (d2h) and close/reset the host's requests (h2d).
      Examples:
        espflash-swift simulate --listen 127.0.0.1:0 --fault flip@5000
        espflash-swift simulate --listen 127.0.0.1:0 --fault close@200000
        espflash-swift simulate --listen 127.0.0.1:0 --fault stall@3000:6
      """
  )

  @Option(help: "Chip: esp8266, esp32, esp32s2, esp32s3, esp32c3, esp32c6, esp32h2.")
  var chip: String = "esp8266"

  @Option(help: "Flash size: 1MB, 2MB, 4MB, 8MB or 16MB.")
  var flash: String = "4MB"

  @Option(help: "Flash image file: loaded if it exists (must be the flash size), saved atomically.")
  var image: String?

  @Option(help: "Listen on HOST:PORT (IPv4; port 0 picks a free one).")
  var listen: String?

  @Flag(help: "Serve on a pseudo-terminal instead of TCP.")
  var pty = false

  @Option(help: "Crystal in MHz (26 or 40); the ESP8266 default 26 gives a 74880-baud boot log.")
  var crystal: Int?

  @Flag(help: "Send the ROM boot banner at the start of each connection (off by default: a TCP client has no baud, and the text would be noise before SYNC).")
  var bootLog = false

  @Flag(help: "Print the wire meter (bytes, frames, modelled time at the board's baud) per connection on stderr.")
  var stats = false

  @Option(help: "Stop after this many TCP connections (for tests).")
  var exitAfterConnections: Int?

  @Option(name: .customLong("fault"), help: "Break the line once: [h2d:|d2h:]drop|flip|stall|close|reset@BYTE[:SECONDS] (repeatable).")
  var faults: [String] = []

  func validate() throws {
    if (listen == nil) == !pty {
      throw ValidationError("give exactly one of --listen HOST:PORT or --pty")
    }
    if let crystal, crystal != 26 && crystal != 40 { throw ValidationError("--crystal must be 26 or 40") }
    if let count = exitAfterConnections, count < 1 { throw ValidationError("--exit-after-connections must be ≥ 1") }
    for spec in faults where ByteFault(spec: spec) == nil {
      throw ValidationError("--fault '\(spec)' is not [h2d:|d2h:]ACTION@BYTE[:SECONDS] with ACTION drop, flip, stall, close or reset (reset: h2d only)")
    }
  }

  func run() throws {
    do {
      try serve()
    } catch let error as TransportError {
      // The same hint and exit status as the error gets through `--port sim://…`; only the prefix differs.
      throw CLIError("simulate: \(error)", hint: error.hint, status: error.exitStatus)
    }
  }

  private func serve() throws {
    guard let chipValue = Chip(argument: chip) else {
      throw CLIError("unknown chip '\(chip)'", hint: "use one of: " + Chip.allCases.map(\.rawValue).joined(separator: ", "),
                     status: .usage)
    }
    guard let flashSize = BoardConfiguration.parseFlashSize(flash) else {
      throw CLIError("unsupported flash size '\(flash)'", hint: "use 1MB, 2MB, 4MB, 8MB or 16MB", status: .usage)
    }
    var configuration = BoardConfiguration(chip: chipValue, flashSize: flashSize, crystalMHz: crystal)
    configuration.bootLog = bootLog
    let endpoint: SimulatorService.Endpoint
    if let listen {
      let (host, port) = try Self.parseListen(listen)
      endpoint = .tcp(host: host, port: port)
    } else {
      endpoint = .pseudoTerminal
    }
    let showStats = stats
    var service = SimulatorService(configuration: configuration, imagePath: image, endpoint: endpoint,
                                   maxConnections: exitAfterConnections)
    service.faults = faults.compactMap(ByteFault.init(spec:))
    service.onFault = { Console.note("simulate: fault: \($0)") }
    try service.run(
      announce: { Console.print($0) },
      onSaveError: { Console.note("warning: could not save the flash image: \($0)") },
      onSessionEnd: { session, meter in if showStats { Console.note("simulate: session \(session): \(meter.summary)") } })
  }

  static func parseListen(_ text: String) throws(CLIError) -> (String, UInt16) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, let port = UInt16(parts[1]) else {
      throw CLIError("--listen '\(text)' is not HOST:PORT", hint: "for example --listen 127.0.0.1:0", status: .usage)
    }
    return (String(parts[0]), port)
  }
}
