import ArgumentParser
import ESPLoader
import Foundation

/// `board-info` (esptool's `chip-id` / `flash-id`): chip, MAC, crystal and flash id/size.
struct BoardInfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "board-info",
    abstract: "Connect and show the chip, MAC address, crystal, flash id and flash size.",
    aliases: ["chip-id", "flash-id", "read-mac"]
  )

  @OptionGroup var connection: ConnectionOptions

  func run() throws {
    let (info, stats) = try DeviceSession.with(connection, wantStub: false, transfer: false) { session -> (BoardInfo, [String: Any]) in
      (try session.flasher.boardInfo(hostBaud: session.connectBaud), session.statsJSON)
    }
    let size = info.flashSize.map { $0 >= 1 << 20 ? "\($0 >> 20)MB" : "\($0 >> 10)KB" }
    if connection.json {
      var o: [String: Any] = ["chip": info.chip.rawValue, "chipName": info.chip.description, "loader": info.loader,
                              "mac": info.macString, "flashId": JSONOutput.hex(info.flashID),
                              "flashManufacturer": JSONOutput.hex(info.manufacturer),
                              "flashDevice": JSONOutput.hex(info.device)]
      if let x = info.crystalMHz { o["crystalMHz"] = x }
      if let s = info.flashSize { o["flashSize"] = s }
      if connection.stats { o["wire"] = stats }
      JSONOutput.print(o)
      return
    }
    print("Chip:          \(info.chip)")
    print("MAC:           \(info.macString)")
    if let x = info.crystalMHz { print("Crystal:       \(x) MHz") }
    print("Flash id:      \(JSONOutput.hex(info.flashID)) (manufacturer \(JSONOutput.hex(info.manufacturer)), device \(JSONOutput.hex(info.device)))")
    print("Flash size:    \(size ?? "unknown (the id gives no size)")")
  }
}
