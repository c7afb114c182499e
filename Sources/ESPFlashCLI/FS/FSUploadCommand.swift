import ArgumentParser
import ESPFlashKit
import ESPLoader
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
        espflash-swift fs upload examples/aws-iot/data --layout 4M1M \\
          --port 'sim://esp8266?flash=4MB&image=board.bin'
        espflash-swift fs upload MySketch --fqbn esp8266:esp8266:nodemcuv2 \\
          --firmware MySketch/build/esp8266.esp8266.nodemcuv2
        espflash-swift fs upload MySketch -p /dev/ttyUSB0 \\
          --fqbn "esp32:esp32:esp32:PartitionScheme=min_spiffs"
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

  @Flag(help: "Write every region, even those the board already holds (no MD5 comparison first).")
  var noSkip = false

  @Flag(help: "No progress bar.")
  var noProgress = false

  @OptionGroup(title: "Certificates and keys") var credentialOptions: FSCredentialOptions

  @OptionGroup(title: "Connection") var connection: ConnectionOptions

  func run() throws {
    let project = try layoutOptions.project(dataArgument: dataDir)
    project.printNotes()
    let connection = project.applying(to: self.connection)
    let events = connection.events(noProgress: noProgress)
    let dataDir = project.dataDir
    if packing.fileSystem == .littlefs { return try uploadLittleFS(dataDir, preset: project.preset, connection: connection, events: events) }
    let build = { (target: PartitionTarget) throws -> ImagePipeline.Output in
      try buildImage(dataDir, target: target, json: connection.json, events: events)
    }
    var planned: (target: PartitionTarget, built: ImagePipeline.Output)?
    if let preset = project.preset {
      let target = try PartitionTarget.resolve(preset: preset, offset: offset?.value, events: events)
      // A chip named on the command line can be checked before anything is built or opened.
      if let chip = connection.chip.chip { try target.checkPlatform(chip: chip, flashSize: nil) }
      planned = (target, try build(target))
    } else if offset != nil {
      throw CLIError("--offset needs a layout (--size/--block/--platform, --layout or --partitions)", status: .usage)
    }
    let firmwareSet = try firmware.map(FirmwareSet.load)
    var result = try InterruptReport.run(
      consequence: "Until the upload is run again, the sketch finds no valid file system there "
        + "(SPIFFS.begin() formats the partition, so its files are gone)") {
      try SketchUpload.run(planned: planned, dataDir: dataDir, build: build, firmware: firmwareSet,
                           tableOffset: partitionTableOffset.value, force: force,
                           skipUnchanged: !noSkip, connection: connection.settings, events: events)
    }
    result.output = output
    result.wire = connection.wire(result.wire)
    guard connection.json else {
      for region in result.firmware ?? [] {
        Console.print("\(region.address.uppercasedHex) \(region.role) (\(region.size) bytes): "
                      + (region.verified ? "written, verified" : "written, NOT verified"))
      }
      let verdict = result.verified ? "written, verified (MD5 \(result.md5))"
        : "written, NOT verified (\(result.notVerifiedReason ?? "no MD5 from this loader"))"
      Console.print("\(result.address.uppercasedHex) \(result.layout) SPIFFS image (\(result.files.count) files, "
                    + "\(result.size) bytes) on \(Chip(rawValue: result.chip)?.description ?? result.chip): \(verdict)")
      return
    }
    try Console.json(result)
  }

  /// Builds the image exactly as `fs build` would, printing the same `[SPIFFS]` lines.
  private func buildImage(_ dataDir: String, target: PartitionTarget, json: Bool,
                          events: @escaping WorkflowEvents) throws -> ImagePipeline.Output {
    var options = packing.pipelineOptions(dataDir: dataDir, preset: target.preset,
                                          credentials: try credentialOptions.handling())
    // Only names and sizes are reported: files are read again while packing instead of all held at once.
    options.retainContents = false
    let built = try ImagePipeline(options: options, events: events).run()
    if let output { try HostFiles.writeAtomically(built.image, to: output) }
    if !json { for file in built.files { Console.print(file.displayName) } }
    for line in ImageRenderer.summaryNotes(built, dataDir: dataDir, preset: target.preset, offset: target.offset,
                                           image: output) {
      Console.note(line)
    }
    return built
  }
}

private extension String {
  /// `0x290000` (JSON form) as `0x290000` with upper-case digits, like Hex.address.
  var uppercasedHex: String { hasPrefix("0x") ? "0x" + dropFirst(2).uppercased() : self }
}
