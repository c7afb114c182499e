import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs provision DATA_DIR --devices DEVICES_DIR -o OUT_DIR`: one image per device, each the data folder plus that
/// device's own certificate and key (users-and-credentials.md §3.5 check 11; esp-idf#1497, #14125).
struct FSProvisionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "provision",
    abstract: "Build one SPIFFS image per device: a common data folder plus each device's own files.",
    discussion: """
      DEVICES_DIR holds one folder per device (e.g. per AWS IoT thing) with that device's files, such as \
      thing-1/cert.pem and thing-1/private.key. Each image holds DATA_DIR's files with the device's files laid \
      over them (same path: the device's file replaces the common one). Every image goes through the same steps \
      as `fs build` (--der, --rename, name lengths, the credential check, the fit check), and the common files \
      are packed in the same order in all of them.

      All devices are built in memory first: if any fails, each failure is listed and nothing is written \
      (exit 65). Otherwise OUT_DIR gets <thing>.spiffs.bin per device and manifest.json (layout, offset, \
      SHA-256 of each image and of each device's files, and the write-flash command line).

      Example:
        espflash-swift fs provision data --devices things -o images --layout 4M1M
        espflash-swift write-flash 0x300000 images/thing-1.spiffs.bin
      """)

  @Argument(help: "The data folder every device gets (its contents become /…).")
  var dataDir: String

  @Option(help: "The folder holding one sub-folder of files per device.")
  var devices: String

  @Option(name: [.short, .customLong("output")], help: "The folder to write the images and manifest.json to (created if missing).")
  var output: String

  @OptionGroup var layoutOptions: FSLayoutOptions

  @OptionGroup var packing: FSPackingOptions

  func validate() throws {
    // Each device adds its own files, so one order file cannot list every image's files.
    if packing.order != nil { throw ValidationError("--order is not available with fs provision: the files differ per device") }
  }

  @Flag(help: "Print the manifest on stdout too (instead of one line per device).")
  var json = false

  @OptionGroup(title: "Certificates and keys") var credentialOptions: FSCredentialOptions

  /// Hidden: lets the tests take the rebuild path without hundreds of megabytes of images.
  @Option(help: .hidden) var memoryBudget: ByteSize?

  func run() throws {
    let project = try layoutOptions.project(dataArgument: dataDir)
    let preset = try project.requirePreset()
    var resolved = self
    resolved.dataDir = project.dataDir
    try resolved.provision(preset: preset)
  }

  private func provision(preset: SPIFFSLayoutPreset) throws {
    let events = CLIEvents().handler
    let things = try ProvisionDevices.list(devices, events: events)
    let options = packing.pipelineOptions(dataDir: dataDir, preset: preset, credentials: try credentialOptions.handling())
    for line in ImageRenderer.parameterNotes(dataDir: dataDir, preset: preset, format: options.format,
                                             offset: preset.knownFlashOffset) {
      Console.note(line)
    }
    Console.note("[SPIFFS] devices : \(things.count) in \(devices)")
    var provisioning = Provisioning(dataDir: dataDir, devicesFolder: devices, devices: things, outputDir: output,
                                    pipeline: options,
                                    memoryBudget: memoryBudget?.value ?? Provisioning.defaultMemoryBudget)
    if packing.fileSystem == .littlefs { provisioning.littlefs = packing.littlefsOptions(options) }
    let manifest: ProvisionManifest
    do {
      manifest = try provisioning.run(events: events)
    } catch ProvisionError.devicesFailed(let failures, let total, let folder) {
      // The list the error's message points to ("listed above"), each in the funnel's words.
      for failure in failures { Console.note("failed: \(failure.thing): \(ErrorReport.message(failure.error))") }
      throw ProvisionError.devicesFailed(failures, of: total, devicesFolder: folder)
    }
    if json {
      try Console.json(manifest)
    } else {
      for entry in manifest.devices {
        Console.print("\(entry.thing)  \(HostFiles.join(output, entry.image))  \(entry.fileCount) files  "
                      + "\(entry.dataBytes) bytes  sha256 \(entry.sha256.prefix(16))")
      }
    }
    Console.note("[SPIFFS] wrote   : \(manifest.devices.count) image(s) and manifest.json to \(output)")
  }
}
