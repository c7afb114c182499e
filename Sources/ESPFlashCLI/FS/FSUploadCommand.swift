import ArgumentParser
import ESPLoader
import Foundation
import SPIFFS

/// `fs upload DATA_DIR --layout NAME`: the Arduino "Sketch Data Upload" in one command — build the image
/// exactly as `fs build` does, check it suits the connected board, write it at the partition, verify it.
struct FSUploadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "upload",
    abstract: "Build a SPIFFS image from a data folder and write it to the board's file system partition.",
    discussion: """
      The image is built like `fs build` (same options, same checks: nothing is sent when the files do not fit \
      or the credential check finds errors). Then the board is checked before anything is written: the layout \
      must be for its chip (ESP8266 layouts on an ESP8266, ESP32 layouts on the ESP32 family; exit 64 otherwise) \
      and the partition must end inside its flash. The whole partition ends up equal to the image at the \
      layout's offset (--offset for --size/--block/--platform layouts), but only what must change is sent: \
      regions the board already holds are found by MD5 and left alone (--no-skip writes them anyway), blank \
      parts are erased without sending them. The partition is then verified by MD5 where the loader can; the \
      ESP8266 ROM loader cannot (install esptool so its flasher stub is used, or pass --stub PATH), which is \
      said plainly. A transfer of more than a few seconds is announced with its estimated time.
      Examples:
        espflash-swift fs upload data --layout 4M1M --port /dev/ttyUSB0
        espflash-swift fs upload data --partitions partitions.csv -p /dev/ttyACM0 -b 921600
        espflash-swift fs upload data --size 0x20000 --block 4096 --platform esp32 --offset 0x3D0000
        espflash-swift fs upload examples/aws-iot/data --layout 4M1M --port 'sim://esp8266?flash=4MB&image=board.bin'
      """)

  @Argument(help: "The data folder (its contents become /…).")
  var dataDir: String

  @OptionGroup var layoutOptions: FSLayoutOptions

  @Option(help: "Flash address of the partition (required with --size/--block/--platform; overrides a layout's).")
  var offset: ByteSize?

  @OptionGroup var packing: FSPackingOptions

  @Option(name: [.short, .customLong("output")], help: "Also save the image to this file.")
  var output: String?

  @Flag(help: "No progress bar.")
  var noProgress = false

  @Flag(help: "Write every changed-or-not region: skip the MD5 comparison with what the board already holds.")
  var noSkip = false

  @OptionGroup(title: "Certificates and keys") var credentialOptions: FSCredentialOptions

  @OptionGroup(title: "Connection") var connection: ConnectionOptions

  func run() throws {
    guard let preset = try layoutOptions.resolvePreset(requireComplete: true) else { return }
    let target = try FSPartitionTarget.resolve(preset: preset, offset: offset)
    // A chip named on the command line can be checked before anything is built or opened.
    if let chip = connection.chip.chip { try target.checkPlatform(chip: chip, flashSize: nil) }

    let options = packing.pipelineOptions(dataDir: dataDir, preset: preset,
                                          credentials: try credentialOptions.handling())
    let built = try ImagePipeline(options: options).run()
    let image = built.result.image
    if let output { try FSOutput.writeAtomically(image, to: output) }
    if !connection.json { for file in built.files { FSOutput.print(file.displayName) } }
    let usage = (try? SPIFFSImage(bytes: image, layout: built.result.layout))?.usage()
    for line in FSBuildCommand.summaryNotes(built, dataDir: dataDir, preset: preset, offset: target.offset,
                                            image: output, usage: usage) {
      FSOutput.note(line)
    }

    let outcome = try DeviceSession.with(connection) { session in try write(image, to: target, session) }
    try report(outcome, built: built, target: target)
  }

  struct Outcome {
    var chip: Chip
    var loader: String
    var flashSize: Int
    var result: WriteResult
    var sparse: SparseWriteResult
    var seconds: Double
    var wire: [String: Any]
  }

  private func write(_ image: [UInt8], to target: FSPartitionTarget, _ session: DeviceSession) throws -> Outcome {
    let flasher = session.flasher
    let flashSize = try target.checkBoard(flasher)
    // The whole partition must end up equal to the image, even for a compact image whose tail is unused.
    // SPIFFS takes a page for free only while its lookup entry is 0xFFFF and its bytes are 0xFF
    // (spiffs-format.md §1.2: "free, never written since the last erase"). Leaving the previous file
    // system's pages in the tail would make the board mount a mix of old and new objects. The blank tail is
    // erased, not sent (`WritePlan`), so this costs erase time only.
    let progress = ProgressReporter(label: "Writing \(ByteSize.hex(target.offset))", total: image.count,
                                    enabled: !noProgress)
    let start = Date()
    let sparse: SparseWriteResult
    do {
      defer { progress.finish() }
      sparse = try FSUploadWrite.write(image, at: target.offset, flasher: flasher, skipUnchanged: !noSkip,
                                       progress: progress.handler)
    }
    let result = sparse.asWriteResult
    let outcome = Outcome(chip: flasher.chip, loader: flasher.loaderName, flashSize: flashSize, result: result,
                          sparse: sparse, seconds: Date().timeIntervalSince(start), wire: session.statsJSON)
    // Said before the reset and the stats, like write-flash does.
    noteWrite(outcome, target: target)
    return outcome
  }

  private func noteWrite(_ outcome: Outcome, target: FSPartitionTarget) {
    let result = outcome.result
    DeviceSession.note(FSUploadWrite.describe(outcome.sparse))
    var line = "Wrote \(result.dataSize) bytes"
    if let compressed = result.compressedSize { line += " (\(compressed) compressed)" }
    line += " at \(ByteSize.hex(target.offset)) in " + String(format: "%.1f s", outcome.seconds)
    if outcome.seconds > 0 {
      line += String(format: " (%.1f kbit/s)", Double(result.dataSize) * 8 / outcome.seconds / 1000)
    }
    switch result.verification {
    case .verified(let md5):
      line += "; verified, MD5 \(md5)"
    case .notVerified(let reason):
      line += "; NOT verified: \(reason)"
    }
    DeviceSession.note(line + ".")
    if case .notVerified = result.verification, outcome.chip == .esp8266 {
      DeviceSession.note("To verify: install esptool (its flasher stub is found automatically) or pass --stub PATH; "
                         + "with the stub, `espflash-swift fs download` also reads the partition back.")
    }
  }

  private func report(_ outcome: Outcome, built: ImagePipeline.Output, target: FSPartitionTarget) throws {
    let result = outcome.result
    let verdict: String
    switch result.verification {
    case .verified(let md5): verdict = "written, verified (MD5 \(md5))"
    case .notVerified(let reason): verdict = "written, NOT verified (\(reason))"
    }
    let summary = "\(ByteSize.hex(target.offset)) \(target.preset.name) SPIFFS image (\(built.files.count) files, "
      + "\(result.dataSize) bytes) on \(outcome.chip): \(verdict)"
    if !connection.json {
      FSOutput.print(summary)
      return
    }
    var json = UploadJSON(
      data: dataDir, layout: target.preset.name, platform: target.preset.platform.rawValue,
      format: built.result.format.rawValue, address: JSONOutput.hex(target.offset), size: result.dataSize,
      chip: outcome.chip.rawValue, loader: outcome.loader, flashSize: outcome.flashSize,
      files: built.files.map { .init(name: $0.displayName, size: $0.size) }, dataBytes: built.result.dataBytes,
      output: output, compressedSize: result.compressedSize, verified: false, md5: Flasher.md5Hex(built.result.image),
      seconds: (outcome.seconds * 1000).rounded() / 1000)
    if case .notVerified(let reason) = result.verification {
      json.notVerifiedReason = reason
    } else {
      json.verified = true
    }
    if connection.stats { json.wire = DownloadJSON.Wire(outcome.wire) }
    try FSOutput.json(json)
  }
}

/// `fs upload --json`.
private struct UploadJSON: Encodable {
  struct File: Encodable { var name: String; var size: Int }
  var data: String
  var layout: String
  var platform: String
  var format: String
  var address: String
  var size: Int
  var chip: String
  var loader: String
  var flashSize: Int
  var files: [File]
  var dataBytes: Int
  var output: String?
  var compressedSize: Int?
  /// True only when the board's MD5 of the partition matched the image.
  var verified: Bool
  /// The image's MD5 (and, when verified, the flash's).
  var md5: String
  var notVerifiedReason: String?
  var seconds: Double
  var wire: DownloadJSON.Wire?
}
