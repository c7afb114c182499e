import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs ls IMAGE`: what `mkspiffs -l` shows, plus where each file lives.
struct FSListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ls",
    abstract: "List the files in a SPIFFS image or on a board (in SPIFFS_readdir order).",
    discussion: """
      Without --layout the layout of an image file is detected from the block magic numbers. With --port and no \
      IMAGE the board's partition is listed (--layout needed; --offset overrides its address): only the lookup \
      entries and the index headers are read, a few percent of the partition.
      Examples:
        espflash-swift fs ls spiffs.bin
        espflash-swift fs ls --layout 4M1M --port /dev/ttyUSB0
      """)

  @OptionGroup var source: FSImageOptions

  @OptionGroup(title: "Connection (to list a board's partition)") var connection: ConnectionOptions

  func run() throws {
    let entries: [ImageFileEntry]
    if source.image == nil {
      entries = try FSBoardTarget.list(source, connection)
    } else {
      entries = try source.open().image.entries().map(ImageFileEntry.init)
    }
    if connection.json {
      try Console.json(entries)
    } else {
      ImageRenderer.printTable(entries)
    }
  }
}
