import ArgumentParser
import ESPFlashKit
import ESPLoader

/// `read-flash ADDR SIZE|ALL FILE`: read a region into a file (written atomically).
struct ReadFlashCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "read-flash",
    abstract: "Read flash into a file (stub READ_FLASH, or ESP32 ROM 64-byte reads; the ESP8266 ROM cannot read)."
  )

  @OptionGroup var connection: ConnectionOptions

  @Flag(help: "No progress bar.")
  var noProgress = false

  @Argument(help: "Start address (0x300000, 3145728).") var address: ByteSize
  @Argument(help: "Bytes to read (0x100000, 1M) or ALL for the rest of the flash.") var size: String
  @Argument(help: "Output file.") var file: String

  func run() throws {
    guard let offset = UInt32(exactly: address.value) else { throw CLIError("address too large", status: .usage) }
    let explicit = size.uppercased() == "ALL" ? nil : ByteSize.parse(size)
    if size.uppercased() != "ALL", explicit == nil || explicit == 0 {
      throw CLIError("'\(size)' is not a size", hint: "use hex (0x100000), decimal, 1M or ALL", status: .usage)
    }
    let events = connection.events(noProgress: noProgress)
    // A stop leaves no file behind: the data is written only once it is all there.
    let (data, wire) = try InterruptReport.run {
      try DeviceSession.with(connection.settings, events: events) { session in
        (try FlashJobs.read(offset: offset, size: explicit, session: session, events: events), session.statistics)
      }
    }
    try HostFiles.writeAtomically(data, to: file)
    let md5 = Flasher.md5Hex(data)
    Console.note("Read \(data.count) bytes at \(address) into \(file) (MD5 \(md5)).")
    if connection.json {
      try Console.json(ReadFlashReport(file: file, address: Hex.json(offset), size: data.count, md5: md5,
                                       wire: connection.wire(wire)))
    }
  }
}

/// `read-flash --json`.
struct ReadFlashReport: Encodable {
  var file: String
  var address: String
  var size: Int
  var md5: String
  var wire: WireStatistics?
}

/// `erase-region ADDR SIZE` (4 KiB-aligned).
struct EraseRegionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "erase-region",
    abstract: "Erase a 4 KiB-aligned flash region (stub, or ESP32-family ROM via FLASH_BEGIN)."
  )

  @OptionGroup var connection: ConnectionOptions
  @Argument(help: "Start address, a multiple of 0x1000.") var address: ByteSize
  @Argument(help: "Size, a multiple of 0x1000.") var size: ByteSize

  func run() throws {
    guard let offset = UInt32(exactly: address.value) else { throw CLIError("address too large", status: .usage) }
    guard offset % 0x1000 == 0, size.value % 0x1000 == 0, size.value > 0 else {
      throw FlashAddressError.unaligned(address: address.value, size: size.value)
    }
    try InterruptReport.run(resume: { stop in
      // Only the part not yet erased, when the command line ends with the address and size as given.
      let words = CommandLine.arguments.suffix(2).compactMap(ByteSize.parse)
      guard words == [Int(offset), size.value] else { return ResumeCommand.line() }
      let rest = Int(stop.end) - Int(stop.doneUpTo)
      return ResumeCommand.line(replacingLast: [Hex.address(Int(stop.doneUpTo)), Hex.address(rest)])
    }) {
      try DeviceSession.with(connection.settings, events: connection.events()) { session in
        try session.flasher.eraseRegion(offset: offset, size: size.value)
      }
    }
    Console.note("Erased \(size.value) bytes at \(address).")
    if connection.json { try Console.json(["erased": ErasedRegion(address: Hex.json(offset), size: size.value)]) }
  }
}

/// `erase-flash`: the whole chip (stub only).
struct EraseFlashCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "erase-flash",
    abstract: "Erase the whole flash (needs the flasher stub)."
  )

  @OptionGroup var connection: ConnectionOptions

  func run() throws {
    try DeviceSession.with(connection.settings, events: connection.events()) { session in
      Console.note("Erasing the whole flash (this can take a minute)…")
      try session.flasher.eraseFlash()
    }
    Console.note("Flash erased.")
    if connection.json { try Console.json(["erased": "all"]) }
  }
}

/// `reset`: connect, then do what `--after` says (default: hard reset into the app).
struct ResetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset",
    abstract: "Reset the board (--after hard-reset by default; soft-reset on ESP8266)."
  )

  @OptionGroup var connection: ConnectionOptions

  func run() throws {
    try DeviceSession.with(connection.settings, wantStub: connection.after == .softReset, transfer: false,
                           events: connection.events()) { _ in }
    if connection.json { try Console.json(["reset": connection.after.rawValue]) }
  }
}

/// `erase-region --json`.
struct ErasedRegion: Encodable {
  var address: String
  var size: Int
}
