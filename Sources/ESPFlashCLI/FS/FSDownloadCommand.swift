import ArgumentParser
import ESPLoader
import Foundation
import SPIFFS

/// `fs download --layout NAME`: reads the file system partition back from a board — what the Arduino IDE
/// plugin never could — and saves, lists or extracts it like `fs ls` / `fs extract` would from a file.
struct FSDownloadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "download",
    abstract: "Read the SPIFFS partition from a board: save it, list its files, or extract them.",
    discussion: """
      Reads the layout's partition (--offset for --size/--block/--platform layouts) after the same checks as \
      `fs upload`. Only blocks that hold pages (known from the lookup pages) are read; the rest is filled as \
      erased after one MD5 per skipped run confirms it is. -o saves the raw partition (written whole or not at all), --list lists it like `fs ls`, \
      --extract DIR writes its files like `fs extract`; --list is the default when none is given. The ESP8266 \
      ROM loader cannot read flash: the flasher stub is needed (install esptool, or pass --stub PATH).
      Examples:
        espflash-swift fs download --layout 4M1M --port /dev/ttyUSB0
        espflash-swift fs download --layout esp32-default -p /dev/ttyACM0 -o spiffs.bin --extract data-from-board
        espflash-swift fs download --layout 4M1M --port 'sim://esp8266?flash=4MB&image=board.bin' --list
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

  func run() throws {
    guard let preset = try layoutOptions.resolvePreset(requireComplete: true) else { return }
    let target = try FSPartitionTarget.resolve(preset: preset, offset: offset)
    if let chip = connection.chip.chip { try target.checkPlatform(chip: chip, flashSize: nil) }
    let listing = list || (output == nil && extract == nil)

    let (bytes, md5, chip, wire) = try DeviceSession.with(connection) {
      session -> ([UInt8], String, Chip, [String: Any]) in
      let flasher = session.flasher
      _ = try target.checkBoard(flasher)
      let progress = ProgressReporter(label: "Reading \(ByteSize.hex(target.offset))", total: target.size,
                                      enabled: !noProgress)
      defer { progress.finish() }
      // The ESP8266 ROM's refusal (LoaderError.unsupported) goes on as it is: it names the stub as the remedy.
      var reader = BoardSPIFFSRead.reader(flasher: flasher, offset: target.offset, layout: preset.layout)
      let data = try BoardSPIFFSRead.download(&reader, flasher: flasher, progress: progress.handler)
      progress.finish()  // ends the bar's line before the note; the defer covers a failed read
      let md5 = Flasher.md5Hex(data)
      FSOutput.note("Read \(reader.bytesRead) of \(data.count) bytes of \(target.describe) from the \(flasher.chip) "
                    + "(\(reader.sparse.blocksInUse.count) of \(preset.layout.blockCount) blocks in use; "
                    + FSBoardRead.describeSkips(reader) + "; MD5 \(md5)).")
      return (data, md5, flasher.chip, session.statsJSON)
    }
    // Saved first, so the raw partition is kept even when it does not mount.
    if let output {
      try FSOutput.writeAtomically(bytes, to: output)
      FSOutput.note("Saved the partition to \(output).")
    }
    var json = DownloadJSON(layout: preset.name, platform: preset.platform.rawValue,
                            address: JSONOutput.hex(target.offset), size: bytes.count, chip: chip.rawValue, md5: md5,
                            output: output)
    if listing || extract != nil {
      let image = try FSImageOptions.mount(bytes, preset: preset)
      let entries = image.entries()
      if listing {
        if connection.json {
          json.files = entries.map(FileJSON.init)
        } else {
          FSListCommand.printTable(entries)
        }
      }
      if let extract {
        let summary = try FSExtractCommand.extract(image, into: extract, force: force)
        json.extracted = .init(folder: summary.folder, files: summary.files, bytes: summary.bytes)
      }
    }
    if connection.json {
      if connection.stats { json.wire = DownloadJSON.Wire(wire) }
      try FSOutput.json(json)
    }
  }
}

/// `fs download --json`.
struct DownloadJSON: Encodable {
  struct Extracted: Encodable {
    var folder: String
    var files: Int
    var bytes: Int
  }

  var layout: String
  var platform: String
  var address: String
  var size: Int
  var chip: String
  var md5: String
  var output: String?
  /// Present with --list (or when it is the default).
  var files: [FileJSON]?
  var extracted: Extracted?
  var wire: Wire?

  /// `DeviceSession.statsJSON`, typed.
  struct Wire: Encodable {
    var hostToDevice: Int?
    var deviceToHost: Int?
    var baud: Int?
    var uartSeconds: Double?

    init(_ stats: [String: Any]) {
      hostToDevice = stats["hostToDevice"] as? Int
      deviceToHost = stats["deviceToHost"] as? Int
      baud = stats["baud"] as? Int
      uartSeconds = stats["uartSeconds"] as? Double
    }
  }
}
