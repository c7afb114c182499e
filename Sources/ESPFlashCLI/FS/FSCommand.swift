import ArgumentParser

/// `espflash-swift fs …`: build, inspect and check SPIFFS images.
struct FSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fs",
    abstract: "Build, list, extract and check SPIFFS images.",
    subcommands: []
  )
}
