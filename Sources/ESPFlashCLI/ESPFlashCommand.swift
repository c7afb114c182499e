import ArgumentParser

/// The root command. Each area registers its own subcommands in its own file, so the tree reads as a table.
public struct ESPFlashCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "espflash-swift",
    abstract: "Build, flash, read back and check SPIFFS images and TLS credentials for ESP8266 and ESP32 boards.",
    discussion: ExitStatus.helpText,
    version: BuildInfo.versionLine,
    subcommands: [FSCommand.self, CertsCommand.self, SimulateCommand.self] + LoaderCommands.all
  )

  public init() {}

  /// Parses the arguments, runs the command, and turns every error into one `error:`/`hint:` report and a
  /// documented exit code. Dash and underscore spellings of commands and options are both accepted.
  public static func runMain(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
    let normalized = CommandLineRepair.reorder(ArgumentSpelling.normalize(arguments))
    let json = normalized.contains("--json")
    do {
      if let misspelled = CommandLineRepair.misspelledCommand(normalized) { throw misspelled }
      var command = try parseAsRoot(normalized)
      try command.run()
      ExitStatus.exit(.success)
    } catch {
      ErrorReport.exit(for: error, json: json)
    }
  }
}
