import ArgumentParser
import ESPLoader
import Foundation
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

extension BoardFileSystem {
  /// Reads the file system partition: `given`, or the one the board names (ESP32 table, ESP8266 probe),
  /// after the chip and flash-size checks of `fs upload`.
  static func readPartition(_ flasher: Flasher, given: FSPartitionTarget?, tableOffset: Int,
                            progress showProgress: Bool) throws -> (target: FSPartitionTarget, bytes: [UInt8]) {
    let flashSize = try flasher.detectFlashSize()
    let target: FSPartitionTarget
    if let given {
      target = given
    } else {
      target = try locate(flasher, flashSize: flashSize, tableOffset: tableOffset)
      FSOutput.note("No layout given: the board's file system is \(target.describe)"
        + (flasher.chip == .esp8266 ? " (found by its SPIFFS magic)." : " (from its partition table)."))
    }
    try target.checkPlatform(chip: flasher.chip, flashSize: flashSize)
    try target.checkFits(flashSize: flashSize, chip: flasher.chip)
    let progress = ProgressReporter(label: "Reading \(ByteSize.hex(target.offset))", total: target.size,
                                    enabled: showProgress)
    defer { progress.finish() }
    // The ESP8266 ROM's refusal (LoaderError.unsupported) goes on as it is: it names the stub as the remedy.
    let data = try flasher.readFlash(offset: UInt32(target.offset), size: target.size, progress: progress.handler)
    progress.finish()
    return (target, data)
  }
}

extension FSImageOptions {
  /// With `--port`: reads the partition from the board and mounts it with its layout.
  func openFromBoard() throws -> (image: SPIFFSImage, preset: SPIFFSLayoutPreset?, detected: LayoutCandidate?)? {
    guard let connection = board.connection else { return nil }
    if image != nil { throw CLIError("give either IMAGE or --port, not both", status: .usage) }
    let given = try layoutOptions.isEmpty && layoutOptions.fqbn == nil ? nil
      : layoutOptions.resolvePreset(requireComplete: true).map { try FSPartitionTarget.resolve(preset: $0, offset: offset) }
    let (target, bytes) = try DeviceSession.with(connection) { session in
      try BoardFileSystem.readPartition(session.flasher, given: given, tableOffset: board.partitionTableOffset.value,
                                        progress: true)
    }
    FSOutput.note("Read \(bytes.count) bytes of \(target.describe) (MD5 \(Flasher.md5Hex(bytes))).")
    return (try Self.mount(bytes, preset: target.preset), target.preset, nil)
  }
}
