import ArgumentParser
import ESPLoader
import Foundation

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
    let (data, stats) = try DeviceSession.with(connection) { session -> ([UInt8], [String: Any]) in
      let count = try explicit ?? (session.flasher.detectFlashSize() - Int(offset))
      guard count > 0 else { throw CLIError("\(address) is beyond the end of the flash", status: .usage) }
      let progress = ProgressReporter(label: "Reading \(address)", total: count, enabled: !noProgress)
      defer { progress.finish() }
      let data = try InterruptReport.run {
        try session.flasher.readFlash(offset: offset, size: count, progress: progress.handler)
      }
      return (data, session.statsJSON)
    }
    try AtomicFile.write(data, to: file)
    DeviceSession.note("Read \(data.count) bytes at \(address) into \(file) (MD5 \(Flasher.md5Hex(data))).")
    if connection.json {
      var o: [String: Any] = ["file": file, "address": JSONOutput.hex(offset), "size": data.count, "md5": Flasher.md5Hex(data)]
      if connection.stats { o["wire"] = stats }
      JSONOutput.print(o)
    }
  }
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
      throw CLIError("erase-region needs a 4 KiB-aligned address and size (got \(address) + \(size))",
                     hint: "round to multiples of 0x1000", status: .usage)
    }
    try DeviceSession.with(connection) { session in
      try InterruptReport.run(resume: { stop in
        // Only the part not yet erased, when the command line ends with the address and size as given.
        let words = CommandLine.arguments.suffix(2).compactMap(ByteSize.parse)
        guard words == [Int(offset), size.value] else { return ResumeCommand.line() }
        let rest = Int(stop.end) - Int(stop.doneUpTo)
        return ResumeCommand.line(replacingLast: [ByteSize.hex(Int(stop.doneUpTo)), ByteSize.hex(rest)])
      }) {
        try session.flasher.eraseRegion(offset: offset, size: size.value)
      }
    }
    DeviceSession.note("Erased \(size.value) bytes at \(address).")
    if connection.json { JSONOutput.print(["erased": ["address": JSONOutput.hex(offset), "size": size.value]]) }
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
    try DeviceSession.with(connection) { session in
      DeviceSession.note("Erasing the whole flash (this can take a minute)…")
      try session.flasher.eraseFlash()
    }
    DeviceSession.note("Flash erased.")
    if connection.json { JSONOutput.print(["erased": "all"]) }
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
    try DeviceSession.with(connection, wantStub: connection.after == .softReset, transfer: false) { _ in }
    if connection.json { JSONOutput.print(["reset": connection.after.rawValue]) }
  }
}

/// Output files appear whole or not at all: written to a temporary file beside the target, then renamed
/// over it with rename(2), which replaces an existing file atomically (Foundation's `replaceItemAt` removed
/// the old file and then failed on Linux: the bug where `read-flash` to an existing file lost both).
enum AtomicFile {
  static func write(_ bytes: [UInt8], to path: String) throws {
    try FSOutput.writeAtomically(bytes, to: path)
  }
}
