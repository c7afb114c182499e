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
      and the partition must end inside its flash. The whole partition is written at the layout's offset \
      (--offset for --size/--block/--platform layouts) and verified by MD5 where the loader can; the ESP8266 ROM \
      loader cannot (install esptool so its flasher stub is used, or pass --stub PATH), which is said plainly.
      On ESP32-family boards the partition table is read first (0x8000): a layout that is not one of its \
      spiffs partitions is refused (--force writes anyway), and without a layout its spiffs partition is used. \
      A sketch folder gives its data/, sketch.yaml's default_fqbn/default_port and (ESP32) its partitions.csv; \
      --firmware writes the sketch binaries in the same connection, checked for overlaps and fit.
      Examples:
        espflash-swift fs upload data --layout 4M1M --port /dev/ttyUSB0
        espflash-swift fs upload data --partitions partitions.csv -p /dev/ttyACM0 \\
          -b 921600
        espflash-swift fs upload data --size 0x20000 --block 4096 --platform esp32 \\
          --offset 0x3D0000
        espflash-swift fs upload examples/aws-iot/data --layout 4M1M --port \\
          'sim://esp8266?flash=4MB&image=board.bin'
        espflash-swift fs upload MySketch --fqbn esp8266:esp8266:nodemcuv2 \\
          --firmware MySketch/build/esp8266.esp8266.nodemcuv2
        espflash-swift fs upload MySketch --fqbn \\
          "esp32:esp32:esp32:PartitionScheme=min_spiffs" -p /dev/ttyUSB0
      """)

  @Argument(help: "The data folder, or a sketch folder (its data/ is packed); default: the current sketch or PlatformIO project.")
  var dataDir: String?

  @OptionGroup var layoutOptions: FSLayoutOptions

  @Option(help: "Flash address of the partition (required with --size/--block/--platform; overrides a layout's).")
  var offset: ByteSize?

  @Option(help: "Also write the sketch: its .ino.bin (ESP8266 at 0x0, ESP32 at the app partition), a .merged.bin, or an arduino-cli build/export folder.")
  var firmware: String?

  @Option(help: "Where the ESP32's partition table is on the board.")
  var partitionTableOffset: ByteSize = ByteSize(PartitionTable.defaultBinaryOffset)

  @Flag(help: "Write even when the board's partition table has no spiffs partition at that place.")
  var force = false

  @OptionGroup var packing: FSPackingOptions

  @Option(name: [.short, .customLong("output")], help: "Also save the image to this file.")
  var output: String?

  @Flag(help: "No progress bar.")
  var noProgress = false

  @OptionGroup(title: "Certificates and keys") var credentialOptions: FSCredentialOptions

  @OptionGroup(title: "Connection") var connection: ConnectionOptions

  func run() throws {
    let project = try ProjectContext.resolve(dataArgument: dataDir, layout: layoutOptions)
    project.printNotes()
    let connection = project.applying(to: self.connection)
    var planned: (target: FSPartitionTarget, built: ImagePipeline.Output)?
    if let preset = project.preset {
      let target = try FSPartitionTarget.resolve(preset: preset, offset: offset)
      // A chip named on the command line can be checked before anything is built or opened.
      if let chip = connection.chip.chip { try target.checkPlatform(chip: chip, flashSize: nil) }
      planned = (target, try buildImage(project.dataDir, target: target))
    } else if offset != nil {
      throw CLIError("--offset needs a layout (--size/--block/--platform, --layout or --partitions)", status: .usage)
    }
    let firmwareSet = try firmware.map(FirmwareSet.load)
    let outcome = try DeviceSession.with(connection) { session in
      try upload(planned: planned, dataDir: project.dataDir, firmware: firmwareSet, session)
    }
    try report(outcome, dataDir: project.dataDir, json: connection.json, stats: connection.stats)
  }

  /// Builds the image exactly as `fs build` would, printing the same `[SPIFFS]` lines.
  func buildImage(_ dataDir: String, target: FSPartitionTarget) throws -> ImagePipeline.Output {
    let options = packing.pipelineOptions(dataDir: dataDir, preset: target.preset,
                                          credentials: try credentialOptions.handling())
    let built = try ImagePipeline(options: options).run()
    if let output { try FSOutput.writeAtomically(built.result.image, to: output) }
    if !connection.json { for file in built.files { FSOutput.print(file.displayName) } }
    let usage = (try? SPIFFSImage(bytes: built.result.image, layout: built.result.layout))?.usage()
    for line in FSBuildCommand.summaryNotes(built, dataDir: dataDir, preset: target.preset, offset: target.offset,
                                            image: output, usage: usage) {
      FSOutput.note(line)
    }
    return built
  }

  struct Outcome {
    var chip: Chip
    var loader: String
    var flashSize: Int
    var target: FSPartitionTarget
    var built: ImagePipeline.Output
    var result: WriteResult
    var firmware: [(region: FlashRegion, result: WriteResult)]
    var seconds: Double
    var wire: [String: Any]
  }

  func noteWrite(_ outcome: Outcome, target: FSPartitionTarget) {
    let result = outcome.result
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

  private func report(_ outcome: Outcome, dataDir: String, json asJSON: Bool, stats: Bool) throws {
    let (built, target) = (outcome.built, outcome.target)
    let result = outcome.result
    let verdict: String
    switch result.verification {
    case .verified(let md5): verdict = "written, verified (MD5 \(md5))"
    case .notVerified(let reason): verdict = "written, NOT verified (\(reason))"
    }
    let summary = "\(ByteSize.hex(target.offset)) \(target.preset.name) SPIFFS image (\(built.files.count) files, "
      + "\(result.dataSize) bytes) on \(outcome.chip): \(verdict)"
    if !asJSON {
      for (region, written) in outcome.firmware {
        FSOutput.print("\(ByteSize.hex(region.offset)) \(region.role) (\(region.bytes.count) bytes): "
          + (written.verification.isVerified ? "written, verified" : "written, NOT verified"))
      }
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
    json.firmware = outcome.firmware.map {
      .init(role: $0.region.role, path: $0.region.path, address: JSONOutput.hex($0.region.offset), size: $0.region.bytes.count,
            verified: $0.result.verification.isVerified)
    }
    if stats { json.wire = DownloadJSON.Wire(outcome.wire) }
    try FSOutput.json(json)
  }
}

/// `fs upload --json`.
struct UploadJSON: Encodable {
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
  struct Firmware: Encodable { var role: String; var path: String?; var address: String; var size: Int; var verified: Bool }
  /// With --firmware: each region written before the file system.
  var firmware: [Firmware]?
}
