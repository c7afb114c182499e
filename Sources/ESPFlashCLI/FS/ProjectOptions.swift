import ArgumentParser
import ESPFlashKit
import Foundation
import SPIFFS

extension FSLayoutOptions {
  /// The sketch folder, board name or PlatformIO project behind DATA_DIR, with an explicit layout winning.
  func project(dataArgument: String?) throws -> ProjectContext {
    let explicit = isEmpty ? nil : try resolvePreset(requireComplete: true)
    return try ProjectContext.resolve(dataArgument: dataArgument, explicitPreset: explicit, fqbn: fqbn, pioEnv: pioEnv)
  }
}

extension ProjectContext {
  /// The layout, for commands that cannot ask a board (build, provision); prints how it was chosen.
  func requirePreset() throws -> SPIFFSLayoutPreset {
    printNotes()
    guard let preset else {
      throw CLIError("a layout is needed: --layout NAME, --fqbn BOARD, --partitions CSV, or --size S --block B --platform P",
                     hint: "`espflash-swift fs layouts` lists the presets, e.g. --layout 4M1M or --fqbn "
                       + "esp8266:esp8266:nodemcuv2; a sketch folder names its own with sketch.yaml (default_fqbn) "
                       + "or partitions.csv", status: .usage)
    }
    return preset
  }

  /// Each choice made on the user's behalf (which folder is packed, which layout the board name means).
  func printNotes() {
    for line in notes { Console.note(line) }
  }

  /// The connection options with the project's port, baud and chip filled in where the command line left
  /// them open (an explicit option or ESPFLASH_PORT/ESPTOOL_PORT still wins over sketch.yaml and platformio.ini).
  func applying(to options: ConnectionOptions) -> ConnectionOptions {
    var options = options
    let environment = ProcessInfo.processInfo.environment
    let envPort = ["ESPFLASH_PORT", "ESPTOOL_PORT"].contains { !(environment[$0] ?? "").isEmpty }
    if options.port == nil, !envPort, let port { options.port = port; Console.note("port \(port) (from the project)") }
    let envBaud = ["ESPFLASH_BAUD", "ESPTOOL_BAUD"].contains { !(environment[$0] ?? "").isEmpty }
    if options.baud == nil, !envBaud, let baud { options.baud = baud }
    if options.chip.chip == nil, let chip { options.chip = ChipChoice(chip: chip) }
    return options
  }
}

extension ProjectError: ReportableError {
  public var exitStatus: ExitStatus {
    switch kind {
    case .usage: .usage
    case .badData: .dataError
    case .missingInput: .noInput
    }
  }
}

extension BoardError: ReportableError {
  public var message: String { description }
  public var hint: String? { remedy }
  public var exitStatus: ExitStatus { .usage }
}

extension PartitionTableMismatch: ReportableError {
  public var exitStatus: ExitStatus { .usage }
}
