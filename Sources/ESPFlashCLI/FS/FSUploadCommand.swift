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

  @Flag(help: "Write every region, even those the board already holds (no MD5 comparison first).")
  var noSkip = false

  @OptionGroup(title: "Certificates and keys") var credentialOptions: FSCredentialOptions

  @OptionGroup(title: "Connection") var connection: ConnectionOptions

  func run() throws {
    guard let preset = try layoutOptions.resolvePreset(requireComplete: true) else { return }
    let events = connection.events(noProgress: noProgress)
    let target = try PartitionTarget.resolve(preset: preset, offset: offset?.value, events: events)
    // A chip named on the command line can be checked before anything is built or opened.
    if let chip = connection.chip.chip { try target.checkPlatform(chip: chip, flashSize: nil) }

    var options = packing.pipelineOptions(dataDir: dataDir, preset: preset,
                                          credentials: try credentialOptions.handling())
    options.retainContents = false
    let built = try ImagePipeline(options: options, events: events).run()
    if let output { try HostFiles.writeAtomically(built.image, to: output) }
    if !connection.json { for file in built.files { Console.print(file.displayName) } }
    for line in ImageRenderer.summaryNotes(built, dataDir: dataDir, preset: preset, offset: target.offset, image: output) {
      Console.note(line)
    }

    var result = try SPIFFSTransfer.upload(built, dataDir: dataDir, to: target, connection: connection.settings,
                                           skipUnchanged: !noSkip, events: events)
    result.output = output
    result.wire = connection.wire(result.wire)
    guard connection.json else {
      let verdict = result.verified ? "written, verified (MD5 \(result.md5))"
        : "written, NOT verified (\(result.notVerifiedReason ?? "no MD5 from this loader"))"
      Console.print("\(Hex.address(target.offset)) \(preset.name) SPIFFS image (\(result.files.count) files, "
                    + "\(result.size) bytes) on \(Chip(rawValue: result.chip)?.description ?? result.chip): \(verdict)")
      return
    }
    try Console.json(result)
  }
}
