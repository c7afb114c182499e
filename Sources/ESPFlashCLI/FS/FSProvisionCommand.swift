import ArgumentParser
import Foundation
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

  /// Images kept in memory between the check and the writes up to this many bytes in all; beyond it each
  /// image is built again when it is written (the build is deterministic; the hash proves it).
  static let defaultMemoryBudget = 256 << 20

  /// Hidden: lets the tests take the rebuild path without hundreds of megabytes of images.
  @Option(help: .hidden) var memoryBudget: ByteSize?

  private struct Built {
    var thing: ProvisionDevices.Thing
    var entry: ProvisionManifest.Device
    /// nil when all of them would exceed the memory budget.
    var image: [UInt8]?
    var options: ImagePipeline.Options
  }

  func run() throws {
    let project = try ProjectContext.resolve(dataArgument: dataDir, layout: layoutOptions)
    let preset = try project.requirePreset()
    var resolved = self
    resolved.dataDir = project.dataDir
    try resolved.provision(preset: preset)
  }

  private func provision(preset: SPIFFSLayoutPreset) throws {
    let things = try ProvisionDevices.list(devices, note: FSOutput.note)
    let handling = try credentialOptions.handling()
    let offset = preset.name == "custom" ? nil : preset.flashOffset
    for line in FSBuildCommand.parameterNotes(dataDir: dataDir, preset: preset, format: packing.format.format, offset: offset) {
      FSOutput.note(line)
    }
    FSOutput.note("[SPIFFS] devices : \(things.count) in \(devices)")

    var built: [Built] = []
    var failures: [(thing: String, reason: String)] = []
    let budget = memoryBudget?.value ?? Self.defaultMemoryBudget
    let keepImages = things.count <= budget / max(1, preset.layout.imageSize)
    for thing in things {
      let options = packing.pipelineOptions(dataDir: dataDir, preset: preset, credentials: handling,
                                            overlayDir: thing.path)
      let prefix = "[\(thing.name)] "
      let pipeline = ImagePipeline(options: options) { text in
        FSOutput.note(text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n"))
      }
      do {
        let out = try pipeline.run()
        built.append(Built(thing: thing, entry: entry(thing, out, offset: offset),
                           image: keepImages ? out.result.image : nil, options: options))
      } catch {
        failures.append((thing.name, Self.reason(error)))
      }
    }
    guard failures.isEmpty else {
      for failure in failures { FSOutput.note("failed: \(failure.thing): \(failure.reason)") }
      throw CLIError("\(failures.count) of \(things.count) device(s) failed (listed above); no image and no manifest were written",
                     hint: "fix those devices' files (or move their folders out of \(devices)) and run again",
                     status: .dataError)
    }

    let layout = preset.layout
    let manifest = ProvisionManifest(
      data: dataDir, layout: preset.name, platform: preset.platform.rawValue, format: packing.format.format.rawValue,
      flashOffset: offset, imageSize: layout.imageSize, blockSize: layout.blockSize, pageSize: layout.pageSize,
      devices: built.map(\.entry))
    try createOutputFolder()
    for device in built {
      try FSOutput.writeAtomically(try image(of: device), to: join(output, device.entry.image))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try FSOutput.writeAtomically([UInt8](try encoder.encode(manifest)) + [UInt8(ascii: "\n")],
                                 to: join(output, "manifest.json"))
    if json {
      try FSOutput.json(manifest)
    } else {
      for entry in manifest.devices {
        FSOutput.print("\(entry.thing)  \(join(output, entry.image))  \(entry.fileCount) files  \(entry.dataBytes) bytes  "
                         + "sha256 \(entry.sha256.prefix(16))")
      }
    }
    FSOutput.note("[SPIFFS] wrote   : \(built.count) image(s) and manifest.json to \(output)")
  }

  /// The manifest entry, made while the device's files are at hand.
  private func entry(_ thing: ProvisionDevices.Thing, _ out: ImagePipeline.Output, offset: Int?) -> ProvisionManifest.Device {
    let image = thing.name + ProvisionDevices.imageSuffix
    let own = out.files.filter { out.overlaid.contains($0.source.spiffsName) }.map { file in
      ProvisionManifest.Device.File(
        name: file.displayName, size: file.size, sha256: ProvisionDevices.sha256(file.contents),
        source: ImagePipeline.relativeName(file.source.spiffsName),
        replaces: out.replaced.contains(file.source.displayName))
    }
    return ProvisionManifest.Device(
      thing: thing.name, image: image, sha256: ProvisionDevices.sha256(out.result.image),
      fileCount: out.files.count, dataBytes: out.result.dataBytes, files: own,
      writeFlash: offset.map { "espflash-swift write-flash \(ByteSize.hex($0)) \(join(output, image))" })
  }

  /// The kept image, or the same build again (quietly) when images were not kept.
  private func image(of device: Built) throws -> [UInt8] {
    if let image = device.image { return image }
    let again = try ImagePipeline(options: device.options, onNote: { _ in }).run().result.image
    guard ProvisionDevices.sha256(again) == device.entry.sha256 else {
      throw CLIError("\(device.thing.path) or \(dataDir) changed while provisioning; \(device.entry.image) differs from the checked build",
                     hint: "run again once the folders are stable", status: .dataError)
    }
    return again
  }

  private func createOutputFolder() throws {
    do {
      try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    } catch {
      throw CLIError("cannot create \(output): \(error.localizedDescription)", status: .ioError)
    }
  }

  private func join(_ folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }

  /// One line for the failure list: the error funnel's message without its `error:` prefix and hint.
  private static func reason(_ error: any Error) -> String {
    if let reportable = error as? any ReportableError { return reportable.message }
    return String(describing: error)
  }
}
