import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs layouts`: every built-in preset.
struct FSLayoutsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "layouts", abstract: "List the built-in layout presets (ESP8266 cores, ESP32 partition tables).")

  @Flag(help: "Print as JSON on stdout.")
  var json = false

  func run() throws {
    let presets = SPIFFSLayoutPresets.all
    if json {
      try Console.json(presets.map(LayoutPresetReport.init))
      return
    }
    // The name column fits the longest preset name (`esp32-default_16MB@coredump` once ran into its platform) plus two spaces.
    let nameWidth = presets.reduce("name".count) { max($0, $1.name.count) } + 2
    let platformWidth = presets.reduce("platform".count) { max($0, $1.platform.rawValue.count) } + 2
    Console.print(Console.rightPad("name", nameWidth) + Console.rightPad("platform", platformWidth)
      + Console.pad("offset", 10) + Console.pad("size", 11) + Console.pad("block", 7) + Console.pad("page", 6)
      + "  notes")
    for p in presets {
      Console.print(Console.rightPad(p.name, nameWidth) + Console.rightPad(p.platform.rawValue, platformWidth)
        + Console.pad(Hex.address(p.flashOffset), 10) + Console.pad(Hex.address(p.imageSize), 11)
        + Console.pad(String(p.blockSize), 7) + Console.pad(String(p.pageSize), 6) + "  " + p.notes)
    }
  }
}
