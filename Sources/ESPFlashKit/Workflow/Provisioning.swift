import Crypto
import Foundation
import SPIFFS

/// One image per device: the common data folder with each device's own files laid over it
/// (users-and-credentials.md §3.5 check 11; esp-idf#1497, #14125).
public struct Provisioning {
  public var dataDir: String
  public var devices: [ProvisionDevices.Thing]
  /// The folder the devices were listed from, for messages.
  public var devicesFolder: String
  /// Where `<thing>.spiffs.bin` and `manifest.json` go (created if missing).
  public var outputDir: String
  /// The settings every image is built with; `dataDir` and `overlayDir` are set per device.
  public var pipeline: ImagePipeline.Options
  /// Images kept in memory between the check and the writes up to this many bytes in all; beyond it each
  /// image is built again when it is written (the build is deterministic; the hash proves it).
  public var memoryBudget: Int

  public static let defaultMemoryBudget = 256 << 20

  public init(dataDir: String, devicesFolder: String, devices: [ProvisionDevices.Thing], outputDir: String,
              pipeline: ImagePipeline.Options, memoryBudget: Int = defaultMemoryBudget) {
    self.dataDir = dataDir
    self.devicesFolder = devicesFolder
    self.devices = devices
    self.outputDir = outputDir
    self.pipeline = pipeline
    self.memoryBudget = memoryBudget
  }

  private struct Built {
    var thing: ProvisionDevices.Thing
    var entry: ProvisionManifest.Device
    /// nil when all of them would exceed the memory budget.
    var image: [UInt8]?
    var options: ImagePipeline.Options
  }

  /// Builds every device's image in memory; when all succeed writes them and the manifest, else throws
  /// `ProvisionError.devicesFailed` with each failure and writes nothing. A device's events arrive wrapped
  /// in `.device(name, event)`.
  public func run(events: @escaping WorkflowEvents) throws -> ProvisionManifest {
    let preset = pipeline.preset
    let offset = preset.knownFlashOffset
    var built: [Built] = []
    var failures: [(thing: String, error: any Error)] = []
    let keepImages = devices.count <= memoryBudget / max(1, preset.layout.imageSize)
    for thing in devices {
      var options = pipeline
      options.dataDir = dataDir
      options.overlayDir = thing.path
      let name = thing.name
      do {
        let out = try ImagePipeline(options: options, events: { events(.device(name, $0)) }).run()
        built.append(Built(thing: thing, entry: entry(thing, out, offset: offset),
                           image: keepImages ? out.image : nil, options: options))
      } catch {
        failures.append((thing.name, error))
      }
    }
    guard failures.isEmpty else {
      throw ProvisionError.devicesFailed(failures, of: devices.count, devicesFolder: devicesFolder)
    }
    let layout = preset.layout
    let manifest = ProvisionManifest(
      data: dataDir, layout: preset.name, platform: preset.platform.rawValue, format: pipeline.format.rawValue,
      flashOffset: offset, imageSize: layout.imageSize, blockSize: layout.blockSize, pageSize: layout.pageSize,
      devices: built.map(\.entry))
    try HostFiles.createFolder(outputDir)
    for device in built {
      try HostFiles.writeAtomically(try image(of: device), to: HostFiles.join(outputDir, device.entry.image))
    }
    try HostFiles.writeAtomically(try ResultJSON.encode(manifest), to: HostFiles.join(outputDir, "manifest.json"))
    return manifest
  }

  /// The manifest entry, made while the device's files are at hand.
  private func entry(_ thing: ProvisionDevices.Thing, _ out: ImagePipeline.Output, offset: Int?) -> ProvisionManifest.Device {
    let image = thing.name + ProvisionDevices.imageSuffix
    let own = out.files.filter { out.overlaid.contains($0.source.spiffsName) }.map { file in
      ProvisionManifest.Device.File(
        name: file.displayName, size: file.size, sha256: Self.sha256(file.contents),
        source: ImagePipeline.relativeName(file.source.spiffsName),
        replaces: out.replaced.contains(file.source.displayName))
    }
    return ProvisionManifest.Device(
      thing: thing.name, image: image, sha256: Self.sha256(out.image),
      fileCount: out.files.count, dataBytes: out.result.dataBytes, files: own,
      writeFlash: offset.map { "espflash-swift write-flash \(Hex.address($0)) \(HostFiles.join(outputDir, image))" })
  }

  /// The kept image, or the same build again (quietly) when images were not kept.
  private func image(of device: Built) throws -> [UInt8] {
    if let image = device.image { return image }
    let again = try ImagePipeline(options: device.options).run().image
    guard Self.sha256(again) == device.entry.sha256 else {
      throw ProvisionError.changedWhileProvisioning(device: device.thing.path, dataDir: dataDir, image: device.entry.image)
    }
    return again
  }

  public static func sha256(_ bytes: [UInt8]) -> String { Hex.bytes(SHA256.hash(data: bytes)) }
}
