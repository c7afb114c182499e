import ArgumentParser

/// The device commands, esptool's names: registered at the top level like esptool's.
enum LoaderCommands {
  static let all: [any ParsableCommand.Type] = [
    PortsCommand.self, BoardInfoCommand.self, WriteFlashCommand.self, VerifyFlashCommand.self,
    ReadFlashCommand.self, EraseRegionCommand.self, EraseFlashCommand.self, ResetCommand.self, StubsCommand.self,
  ]
}
