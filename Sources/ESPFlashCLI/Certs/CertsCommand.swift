import ArgumentParser

/// `espflash-swift certs …`: check, convert and embed TLS credentials.
struct CertsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "certs",
    abstract: "Check, convert and embed the TLS credentials that go onto a board.",
    subcommands: [CertsCheckCommand.self, CertsConvertCommand.self, CertsHeaderCommand.self]
  )
}
