import ArgumentParser
import ESPFlashKit
import ESPLoader
import SPIFFS

/// `fs ls|cat|extract --port P`: the same readers on a board's file system partition instead of a file.
struct FSBoardSourceOptions: ParsableArguments {
  @Option(name: [.short, .long], help: "Read the file system from this board (serial port, socket://, sim://) instead of IMAGE.")
  var port: String?

  @Option(name: [.short, .long], help: "With --port: baud rate after connecting (default 460800).")
  var baud: Int?

  @Option(help: "With --port: flasher stub auto|none|PATH (the ESP8266 can only be read with the stub).")
  var stub: StubChoice?

  @Option(help: "With --port: where the ESP32's partition table is.")
  var partitionTableOffset: ByteSize = ByteSize(PartitionTable.defaultBinaryOffset)

  var connection: ConnectionOptions? {
    guard let port else { return nil }
    var options = try! ConnectionOptions.parse([])  // every option has a default
    options.port = port
    options.baud = baud
    if let stub { options.stub = stub }
    return options
  }
}
