import ArgumentParser

/// `espflash-swift simulate`: serve the virtual board to other programs.
struct SimulateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Serve a virtual ESP8266/ESP32 board over TCP or a pseudo-terminal."
  )
  func run() throws {
    throw CLIError("simulate is not built yet", status: .failure)
  }
}
