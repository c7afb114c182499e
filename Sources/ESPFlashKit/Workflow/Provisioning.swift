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
  /// Set to build LittleFS images instead of SPIFFS (its `base` is replaced by each device's options).
  public var littlefs: LittleFSImagePipeline.Options?

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
        let out = try build(options, events: { events(.device(name, $0)) })
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
    var format = pipeline.format.rawValue
    var blockSize = layout.blockSize
    if let littlefs {
      if case .mklittlefs = littlefs.format { format = "mklittlefs" } else { format = "littlefs" }
      blockSize = LittleFSLayout(preset: preset).blockSize
    }
    let manifest = ProvisionManifest(
      data: dataDir, layout: preset.name, platform: preset.platform.rawValue, format: format,
      flashOffset: offset, imageSize: layout.imageSize, blockSize: blockSize, pageSize: layout.pageSize,
      devices: built.map(\.entry))
    try HostFiles.createFolder(outputDir)
    for device in built {
      try HostFiles.writeAtomically(try image(of: device), to: HostFiles.join(outputDir, device.entry.image))
    }
    try HostFiles.writeAtomically(try ResultJSON.encode(manifest), to: HostFiles.join(outputDir, "manifest.json"))
    return manifest
  }

  /// One device's built image, whichever file system.
  struct DeviceImage {
    var image: [UInt8]
    var files: [ImagePipeline.StoredFile]
    var overlaid: Set<[UInt8]>
    var replaced: [String]
    var dataBytes: Int
  }

  func build(_ options: ImagePipeline.Options, events: @escaping WorkflowEvents) throws -> DeviceImage {
    if var littlefs {
      littlefs.base = options
      let out = try LittleFSImagePipeline(options: littlefs, events: events).run()
      return DeviceImage(image: out.image, files: out.files, overlaid: out.overlaid, replaced: out.replaced,
                         dataBytes: out.dataBytes)
    }
    let out = try ImagePipeline(options: options, events: events).run()
    return DeviceImage(image: out.image, files: out.files, overlaid: out.overlaid, replaced: out.replaced,
                       dataBytes: out.result.dataBytes)
  }

  /// The manifest entry, made while the device's files are at hand.
  private func entry(_ thing: ProvisionDevices.Thing, _ out: DeviceImage, offset: Int?) -> ProvisionManifest.Device {
    let image = thing.name + ProvisionDevices.imageSuffix
    let own = out.files.filter { out.overlaid.contains($0.source.spiffsName) }.map { file in
      ProvisionManifest.Device.File(
        name: file.displayName, size: file.size, sha256: Self.sha256(file.contents),
        source: ImagePipeline.relativeName(file.source.spiffsName),
        replaces: out.replaced.contains(file.source.displayName))
    }
    return ProvisionManifest.Device(
      thing: thing.name, image: image, sha256: Self.sha256(out.image),
      fileCount: out.files.count, dataBytes: out.dataBytes, files: own,
      writeFlash: offset.map { "espflash-swift write-flash \(Hex.address($0)) \(HostFiles.join(outputDir, image))" })
  }

  /// The kept image, or the same build again (quietly) when images were not kept.
  private func image(of device: Built) throws -> [UInt8] {
    if let image = device.image { return image }
    let again = try build(device.options, events: WorkflowEventsDefaults.silent).image
    guard Self.sha256(again) == device.entry.sha256 else {
      throw ProvisionError.changedWhileProvisioning(device: device.thing.path, dataDir: dataDir, image: device.entry.image)
    }
    return again
  }

  public static func sha256(_ bytes: [UInt8]) -> String { Hex.bytes(SHA256.hash(data: bytes)) }
}
