import ArgumentParser
import ESPLoader
import Foundation

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
    let (results, wire) = try DeviceSession.with(connection) { session in (try write(inputs, session), session.statsJSON) }
    if connection.json {
      var o: [String: Any] = ["files": results]
      if connection.stats { o["wire"] = wire }
      JSONOutput.print(o)
    }
  }

  private func write(_ inputs: [AddressedFile], _ session: DeviceSession) throws -> [[String: Any]] {
    let flasher = session.flasher
    if case .bytes(let size) = parameters.flashSize.value { flasher.flashSizeOverride = size }
    if eraseAll {
      DeviceSession.note("Erasing the whole flash…")
      try flasher.eraseFlash()
    }
    var results: [[String: Any]] = []
    for (index, input) in inputs.enumerated() {
      var data = input.data
      if input.address == flasher.chip.bootloaderOffset, flasher.secureDownloadMode || flasher.secureBootEnabled {
        DeviceSession.note("Security features are enabled, so the image header of \(input.path) is not changed (as esptool).")
      } else if input.address == flasher.chip.bootloaderOffset {
        let wantsDetect = parameters.flashSize.value == .detect
        let detected = wantsDetect ? try flasher.detectFlashSize() : flasher.detectedFlashSize
        data = try ImageHeader.patch(data, address: input.address, chip: flasher.chip, mode: parameters.flashMode.value,
                                     frequency: parameters.flashFreq.value, size: parameters.flashSize.value,
                                     detectedSize: detected, warn: DeviceSession.note)
        if data != input.data { DeviceSession.note("Patched the image header of \(input.path) (flash mode/frequency/size).") }
      }
      let progress = ProgressReporter(label: "Writing \(ByteSize.hex(Int(input.address)))", total: data.count,
                                      enabled: !noProgress)
      let start = Date()
      let result: WriteResult
      do {
        // Files written before a stop drop out of the command that finishes the job.
        let done = (0..<index).map { (files[2 * $0], files[2 * $0 + 1]) }
        result = try InterruptReport.run(resume: { _ in ResumeCommand.line(dropping: done) }) {
          try flasher.writeFlash(data, at: input.address, compress: !noCompress, progress: progress.handler)
        }
        progress.finish()
      } catch {
        progress.finish()
        let rest = inputs.dropFirst(index + 1)
        if !rest.isEmpty {
          DeviceSession.note("Not started: " + rest.map { "\($0.path) at \(ByteSize.hex(Int($0.address)))" }.joined(separator: ", "))
        }
        throw error
      }
      let seconds = Date().timeIntervalSince(start)
      var line = "Wrote \(data.count) bytes"
      if let c = result.compressedSize { line += " (\(c) compressed)" }
      line += " at \(ByteSize.hex(Int(result.offset))) in " + String(format: "%.1f s", seconds)
      if seconds > 0 { line += String(format: " (%.1f kbit/s)", Double(data.count) * 8 / seconds / 1000) }
      var entry: [String: Any] = ["file": input.path, "address": JSONOutput.hex(result.offset), "size": data.count,
                                  "seconds": (seconds * 1000).rounded() / 1000]
      if let c = result.compressedSize { entry["compressedSize"] = c }
      switch result.verification {
      case .verified(let md5):
        line += "; verified, MD5 \(md5)."
        entry["verified"] = true
        entry["md5"] = md5
      case .notVerified(let reason):
        line += "; NOT verified: \(reason)."
        entry["verified"] = false
        entry["notVerifiedReason"] = reason
      }
      DeviceSession.note(line)
      if !connection.json { print("\(ByteSize.hex(Int(result.offset))) \(input.path): \(entry["verified"] as? Bool == true ? "written, verified" : "written, NOT verified")") }
      results.append(entry)
    }
    return results
  }
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
    let outcome = try DeviceSession.with(connection) { session -> [[String: Any]] in
      var out: [[String: Any]] = []
      for input in inputs {
        let expected = Flasher.md5Hex(input.data)
        let actual = try session.flasher.flashMD5(offset: input.address, size: input.data.count)
          .map { String(format: "%02x", $0) }.joined()
        let ok = expected == actual
        DeviceSession.note("\(ByteSize.hex(Int(input.address))) \(input.path): " + (ok ? "verified (MD5 \(actual))" : "DIFFERS: flash MD5 \(actual), file MD5 \(expected)"))
        out.append(["file": input.path, "address": JSONOutput.hex(input.address), "size": input.data.count,
                    "verified": ok, "flashMD5": actual, "fileMD5": expected])
      }
      return out
    }
    if connection.json { JSONOutput.print(["files": outcome]) }
    else { for o in outcome { print("\(o["address"]!) \(o["file"]!): \(o["verified"] as? Bool == true ? "verified" : "DIFFERS")") } }
    let bad = outcome.filter { $0["verified"] as? Bool != true }
    if !bad.isEmpty {
      throw CLIError("\(bad.count) of \(outcome.count) region\(outcome.count == 1 ? "" : "s") differ from the file\(bad.count == 1 ? "" : "s")",
                     hint: "write them again with write-flash", status: .dataError)
    }
  }
}
