import ArgumentParser
import ESPFlashKit
import ESPLoader

/// `write-flash ADDR FILE [ADDR FILE …]`: write, then check each file's MD5 where the loader can.
struct WriteFlashCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "write-flash",
    abstract: "Write files to flash and verify them (MD5) where the loader can.",
    discussion: """
      Compressed (zlib) where the loader inflates: every ESP32-family ROM and every stub; the ESP8266 ROM \
      writes plain 1 KiB blocks and cannot verify, which is said plainly. Bootloader headers at the chip's \
      bootloader offset get --flash-mode/--flash-freq/--flash-size patched like esptool does.
      """
  )

  @OptionGroup var connection: ConnectionOptions
  @OptionGroup var parameters: FlashParameterOptions

  @Flag(name: [.customLong("no-compress"), .customShort("u")], help: "Send plain data blocks, not a zlib stream.")
  var noCompress = false

  @Flag(name: [.customLong("compress"), .customShort("z")], help: "Compress (the default where the loader can).")
  var compress = false

  @Flag(name: [.customLong("erase-all"), .customShort("e")], help: "Erase the whole flash first (stub only).")
  var eraseAll = false

  @Flag(help: "No progress bars.")
  var noProgress = false

  @Argument(help: "ADDRESS FILE pairs, e.g. 0x300000 data.spiffs.bin.")
  var files: [String] = []

  func validate() throws {
    if noCompress && compress { throw ValidationError("--compress and --no-compress contradict each other") }
  }

  func run() throws {
    let inputs = try AddressedFile.parse(files)
    let options = FlashWriteOptions(compress: !noCompress, eraseAll: eraseAll, mode: parameters.flashMode.value,
                                    frequency: parameters.flashFreq.value, size: parameters.flashSize.value)
    let events = connection.events(noProgress: noProgress)
    // After a stop, the files written before the interrupted one drop out of the command that finishes.
    let resume = { (stop: Interruption) -> String in
      let done = inputs.prefix { UInt64($0.address) + UInt64($0.data.count) <= UInt64(stop.offset) }.count
      return ResumeCommand.line(dropping: (0..<done).map { (files[2 * $0], files[2 * $0 + 1]) })
    }
    let (results, wire) = try InterruptReport.run(resume: resume) {
      try DeviceSession.with(connection.settings, events: events) { session in
      let results = try FlashJobs.write(inputs, options: options, session: session, events: events)
      if !connection.json {
        for (input, entry) in zip(inputs, results) {
          Console.print("\(Hex.address(input.address)) \(entry.file): "
                        + (entry.verified ? "written, verified" : "written, NOT verified"))
        }
      }
      return (results, session.statistics)
      }
    }
    if connection.json { try Console.json(WriteFlashReport(files: results, wire: connection.wire(wire))) }
  }
}

/// `write-flash --json`.
struct WriteFlashReport: Encodable {
  var files: [FlashWriteEntry]
  var wire: WireStatistics?
}

/// `verify-flash ADDR FILE …`: compare flash MD5s with files.
struct VerifyFlashCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify-flash",
    abstract: "Check that flash holds the given files (MD5 on the device; needs the stub on ESP8266)."
  )

  @OptionGroup var connection: ConnectionOptions

  @Argument(help: "ADDRESS FILE pairs.")
  var files: [String] = []

  func run() throws {
    let inputs = try AddressedFile.parse(files)
    let events = connection.events()
    let results: [FlashVerifyEntry]
    var mismatch: FlashVerifyMismatch?
    do {
      results = try DeviceSession.with(connection.settings, events: events) { session in
        try FlashJobs.verify(inputs, session: session, events: events)
      }
    } catch let error as FlashVerifyMismatch {
      // Every region is reported, then the exit status says some differ.
      results = error.results
      mismatch = error
    }
    if connection.json {
      try Console.json(["files": results])
    } else {
      for entry in results {
        Console.print("\(entry.address) \(entry.file): \(entry.verified ? "verified" : "DIFFERS")")
      }
    }
    if let mismatch { throw mismatch }
  }
}
