import ArgumentParser
import Foundation

/// esptool accepts `write_flash` and `--flash_mode` (v3, which the ESP8266 Arduino core still passes) as well
/// as `write-flash` and `--flash-mode` (v5). ArgumentParser knows one spelling, so underscores in command
/// names and long option names are turned into dashes before parsing. Values are never touched.
enum ArgumentSpelling {
  static func normalize(_ arguments: [String]) -> [String] {
    var result: [String] = []
    result.reserveCapacity(arguments.count)
    var seenTerminator = false
    for (position, argument) in arguments.enumerated() {
      if seenTerminator { result.append(argument); continue }
      if argument == "--" { seenTerminator = true; result.append(argument); continue }
      if argument.hasPrefix("--") {
        // Only the option name, not an attached `=value`.
        if let equals = argument.firstIndex(of: "=") {
          let name = argument[..<equals].replacingOccurrences(of: "_", with: "-")
          result.append(name + argument[equals...])
        } else {
          result.append(argument.replacingOccurrences(of: "_", with: "-"))
        }
      } else if isCommandWord(argument, at: position, in: arguments) {
        result.append(argument.replacingOccurrences(of: "_", with: "-"))
      } else {
        result.append(argument)
      }
    }
    return result
  }

  /// A bare word is a subcommand name when it spells one of the known commands with underscores.
  private static func isCommandWord(_ word: String, at position: Int, in arguments: [String]) -> Bool {
    guard word.contains("_"), !word.contains("/"), !word.contains(".") else { return false }
    let dashed = word.replacingOccurrences(of: "_", with: "-")
    return knownCommandNames.contains(dashed)
  }

  static var knownCommandNames: Set<String> {
    var names: Set<String> = []
    for command in ESPFlashCommand.configuration.subcommands {
      names.insert(command._commandName)
      names.formUnion(command.configuration.aliases)  // esptool v3 `flash_id`, `chip_id`, `read_mac`
      for sub in command.configuration.subcommands { names.insert(sub._commandName) }
    }
    return names
  }
}
