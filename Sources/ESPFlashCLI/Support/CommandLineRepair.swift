import ArgumentParser
import SPIFFS

/// Two things users type that ArgumentParser would answer with a misleading message
/// (users-and-credentials.md §4.2): esptool's order, global options before the command
/// (`--chip esp8266 --port P write_flash 0x0 app.bin`, which the Arduino cores' upload recipes use), and a
/// misspelled subcommand (`fs biuld data -o x`), which ArgumentParser reports as "Unknown option '-o'".
enum CommandLineRepair {
  /// esptool's global options that take a value (the rest of the leading options are flags).
  static let valueOptions: Set<String> = ["-c", "--chip", "-p", "--port", "-b", "--baud", "--before", "--after",
                                          "--stub", "--connect-attempts"]

  /// Commands that only group subcommands.
  static var groups: [String: [String]] {
    var out: [String: [String]] = [:]
    for command in ESPFlashCommand.configuration.subcommands {
      let subcommands: [any ParsableCommand.Type] = command.configuration.subcommands
      if subcommands.isEmpty { continue }
      var names: [String] = []
      for sub in subcommands { names.append(sub._commandName) }
      out[command._commandName] = names
    }
    return out
  }

  static var topLevel: [String] {
    var names = ["help"]
    for command in ESPFlashCommand.configuration.subcommands {
      names.append(command._commandName)
      names += command.configuration.aliases
    }
    return names
  }

  /// Moves options written before the command to after it: `--chip X write-flash …` → `write-flash --chip X …`.
  static func reorder(_ arguments: [String]) -> [String] {
    var leading: [String] = []
    var index = 0
    while index < arguments.count, arguments[index].hasPrefix("-"), arguments[index] != "--" {
      let option = arguments[index]
      if ["-h", "--help", "--version"].contains(option) { return arguments }
      leading.append(option)
      let name = option.split(separator: "=", maxSplits: 1).first.map(String.init) ?? option
      if valueOptions.contains(name), !option.contains("="), index + 1 < arguments.count {
        leading.append(arguments[index + 1])
        index += 1
      }
      index += 1
    }
    guard !leading.isEmpty, index < arguments.count, topLevel.contains(arguments[index]) else { return arguments }
    var commandEnd = index + 1
    if let subs = groups[arguments[index]], commandEnd < arguments.count, subs.contains(arguments[commandEnd]) {
      commandEnd += 1
    }
    return Array(arguments[index..<commandEnd]) + leading + Array(arguments[commandEnd...])
  }

  /// The error for a command word that names no command, with the closest ones; nil when the words are fine.
  static func misspelledCommand(_ arguments: [String]) -> CLIError? {
    guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
    if !topLevel.contains(first) {
      return unknown(first, among: topLevel, path: "espflash-swift")
    }
    if let subs = groups[first], arguments.count > 1, !arguments[1].hasPrefix("-"), !subs.contains(arguments[1]),
       arguments[1] != "help" {
      return unknown(arguments[1], among: subs, path: "espflash-swift \(first)")
    }
    return nil
  }

  private static func unknown(_ word: String, among names: [String], path: String) -> CLIError {
    let close = LayoutNames.closest(to: word, among: names, limit: 3)
    return CLIError("'\(word)' is not a command of \(path)",
                    hint: (close.isEmpty ? "" : "did you mean \(close.map { "'\(path) \($0)'" }.joined(separator: " or "))? ")
                      + "commands: " + names.filter { $0 != "help" }.joined(separator: ", "),
                    status: .usage)
  }
}
