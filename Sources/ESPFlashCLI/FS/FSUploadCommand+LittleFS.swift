import ESPFlashKit
import ESPLoader
import LittleFS
import SPIFFS

extension FSUploadCommand {
  /// `fs upload --fs littlefs`: build the LittleFS image and write it to the partition (layout required).
  func uploadLittleFS(_ dataDir: String, preset: SPIFFSLayoutPreset?, connection: ConnectionOptions,
                      events: @escaping WorkflowEvents) throws {
    guard let preset else {
      throw CLIError("--fs littlefs needs a layout (--layout, --partitions or --size/--block/--platform)", status: .usage)
    }
    let target = try PartitionTarget.resolve(preset: preset, offset: offset?.value, events: events)
    if let chip = connection.chip.chip { try target.checkPlatform(chip: chip, flashSize: nil) }
    let options = packing.pipelineOptions(dataDir: dataDir, preset: preset, credentials: try credentialOptions.handling())
    let built = try LittleFSImagePipeline(options: packing.littlefsOptions(options), events: events).run()
    if let output { try HostFiles.writeAtomically(built.image, to: output) }
    if !connection.json { for file in built.files { Console.print(file.displayName) } }
    Console.note("LittleFS \(built.layout.description): \(built.files.count) files, \(built.dataBytes) bytes")
    var result = try SPIFFSTransfer.upload(PartitionImage(built), dataDir: dataDir, to: target,
                                           connection: connection.settings, events: events)
    result.output = output
    result.wire = connection.wire(result.wire)
    guard connection.json else {
      let verdict = result.verified ? "written, verified (MD5 \(result.md5))"
        : "written, NOT verified (\(result.notVerifiedReason ?? "no MD5 from this loader"))"
      Console.print("\(Hex.address(target.offset)) \(preset.name) LittleFS image (\(result.files.count) files, "
                    + "\(result.size) bytes) on \(Chip(rawValue: result.chip)?.description ?? result.chip): \(verdict)")
      return
    }
    try Console.json(result)
  }
}
