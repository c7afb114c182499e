import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs download --layout NAME`: reads the file system partition back from a board — what the Arduino IDE
/// plugin never could — and saves, lists or extracts it like `fs ls` / `fs extract` would from a file.
struct FSDownloadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "download",
    abstract: "Read the file system partition (SPIFFS or LittleFS, detected) from a board: save it, list or extract its files.",
    discussion: """
      Reads the layout's partition (--offset for --size/--block/--platform layouts) after the same checks as \
      `fs upload`; without a layout, the partition the board names: the spiffs row of an ESP32's partition \
      table, or on an ESP8266 the known layout for its flash size whose blocks carry SPIFFS magic. Only blocks \
      that hold pages (known from the lookup pages) are read; the rest is filled as erased once one MD5 per run \
      of free blocks confirms it is. -o saves the raw partition (written whole or not at all), --list lists it like `fs ls`, \
      --extract DIR writes its files like `fs extract`; --list is the default when none is given. The ESP8266 \
      ROM loader cannot read flash: the flasher stub is needed (install esptool, or pass --stub PATH).
      Examples:
        espflash-swift fs download --layout 4M1M --port /dev/ttyUSB0
        espflash-swift fs download --port /dev/ttyUSB0 --extract data-from-board
        espflash-swift fs download --layout esp32-default -p /dev/ttyACM0 -o \\
          spiffs.bin --extract data-from-board
        espflash-swift fs download --layout 4M1M --port \\
          'sim://esp8266?flash=4MB&image=board.bin' --list
      """)

  @OptionGroup var layoutOptions: FSLayoutOptions

  @Option(help: "Flash address of the partition (required with --size/--block/--platform; overrides a layout's).")
  var offset: ByteSize?

  @Option(name: [.short, .customLong("output")], help: "Save the partition to this file.")
  var output: String?

  @Flag(help: "List the files (the default when neither -o nor --extract is given).")
  var list = false

  @Option(help: "Extract the files into this folder (created if missing).")
  var extract: String?

  @Flag(help: "With --extract: overwrite files that already exist.")
  var force = false

  @Flag(help: "No progress bar.")
  var noProgress = false

  @OptionGroup(title: "Connection") var connection: ConnectionOptions

  func validate() throws {
    if force && extract == nil { throw ValidationError("--force only applies to --extract") }
  }

  @Option(help: "Where the ESP32's partition table is on the board.")
  var partitionTableOffset: ByteSize = ByteSize(PartitionTable.defaultBinaryOffset)

  func run() throws {
    let events = connection.events(noProgress: noProgress)
    // Without a layout the board says where its file system is (ESP32 partition table, ESP8266 probe).
    let given = try layoutOptions.isEmpty && layoutOptions.fqbn == nil ? nil
      : layoutOptions.resolvePreset(requireComplete: true).map {
        try PartitionTarget.resolve(preset: $0, offset: offset?.value, events: events)
      }
    if let given, let chip = connection.chip.chip { try given.checkPlatform(chip: chip, flashSize: nil) }
    let listing = list || (output == nil && extract == nil)

    // A stop leaves no file behind: nothing is saved before the whole partition is read.
    var result = try InterruptReport.run {
      try BoardFileSystem.download(given: given, tableOffset: partitionTableOffset.value,
                                   connection: connection.settings, events: events)
    }
    let preset = result.target?.preset ?? given!.preset
    // Saved first, so the raw partition is kept even when it does not mount.
    if let output {
      try HostFiles.writeAtomically(result.bytes, to: output)
      Console.note("Saved the partition to \(output).")
      result.output = output
    }
    if listing || extract != nil {
      let mounted = try MountedFileSystem.mount(result.bytes, preset: preset, events: events)
      if listing {
        if case .littlefs(let image) = mounted, !connection.json {
          try LittleFSRendering.list(image, json: false)
        } else {
          let entries = try mounted.entries()
          if connection.json { result.files = entries } else { ImageRenderer.printTable(entries) }
        }
      }
      if let extract {
        result.extracted = try mounted.extract(into: extract, force: force, events: events)
      }
    }
    if connection.json {
      result.wire = connection.wire(result.wire)
      try Console.json(result)
    }
  }
}
