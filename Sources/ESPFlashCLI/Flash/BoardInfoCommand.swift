import ArgumentParser
import ESPFlashKit
import ESPLoader

/// `board-info` (esptool's `chip-id` / `flash-id`): chip, MAC, crystal and flash id/size.
struct BoardInfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "board-info",
    abstract: "Connect and show the chip, MAC address, crystal, flash id and flash size.",
    aliases: ["chip-id", "flash-id", "read-mac"]
  )

  @OptionGroup var connection: ConnectionOptions

  func run() throws {
    let (info, wire) = try DeviceSession.with(connection.settings, wantStub: false, transfer: false,
                                              events: connection.events()) { session in
      (try session.flasher.boardInfo(hostBaud: session.connectBaud), session.statistics)
    }
    if connection.json {
      try Console.json(BoardInfoJSON(report: BoardInfoReport(info), wire: connection.wire(wire)))
      return
    }
    let size = info.flashSize.map { $0 >= 1 << 20 ? "\($0 >> 20)MB" : "\($0 >> 10)KB" }
    Console.print("Chip:          \(info.chip)")
    Console.print("MAC:           \(info.macString)")
    if let x = info.crystalMHz { Console.print("Crystal:       \(x) MHz") }
    Console.print("Flash id:      \(Hex.json(info.flashID)) (manufacturer \(Hex.json(info.manufacturer)), "
                  + "device \(Hex.json(info.device)))")
    Console.print("Flash size:    \(size ?? "unknown (the id gives no size)")")
  }
}

/// `board-info --json`: the report's keys, and `wire` with --stats.
struct BoardInfoJSON: Encodable {
  var report: BoardInfoReport
  var wire: WireStatistics?

  func encode(to encoder: any Encoder) throws {
    try report.encode(to: encoder)
    var container = encoder.container(keyedBy: Key.self)
    try container.encodeIfPresent(wire, forKey: .wire)
  }

  enum Key: String, CodingKey { case wire }
}
