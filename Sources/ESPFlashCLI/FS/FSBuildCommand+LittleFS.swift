import ESPFlashKit
import LittleFS
import SPIFFS

extension FSBuildCommand {
  /// `fs build --fs littlefs`: the LittleFS pipeline, then the same output conventions as SPIFFS.
  func buildLittleFS(_ options: LittleFSImagePipeline.Options, preset: SPIFFSLayoutPreset) throws {
    let built = try LittleFSImagePipeline(options: options, events: CLIEvents().handler).run()
    try HostFiles.writeAtomically(built.image, to: output)
    if json {
      try Console.json(LittleFSBuildJSON(built, output: output))
    } else {
      for file in built.files { Console.print(file.displayName) }
    }
    Console.note("\(built.files.count) files, \(built.dataBytes) bytes → \(output): LittleFS \(built.layout.description)")
    Console.note("format: \(Self.formatName(built.builder)), name_max \(built.builder.effectiveNameMax)")
    if let usage = built.usage {
      Console.note("space: \(usage.usedBlocks) of \(usage.blockCount) blocks used, largest new file \(usage.largestNewFile) bytes")
    }
    if let offset = preset.knownFlashOffset {
      Console.note("flash it with: espflash-swift write-flash \(Hex.address(offset)) \(output)")
    }
  }

  static func formatName(_ builder: LittleFSBuilder) -> String {
    switch builder.format {
    case .mklittlefs(let tool): "mklittlefs (\(tool))"
    case .device(let target): "compact for \(target.rawValue) (disk 2.0, erased space 0xFF)"
    }
  }
}

struct LittleFSBuildJSON: Encodable {
  struct File: Encodable { var name: String, size: Int }
  var fileSystem = "littlefs"
  var output: String
  var layout: String
  var blockSize: Int
  var blockCount: Int
  var format: String
  var nameMax: Int
  var files: [File]
  var dataBytes: Int
  var usedBlocks: Int?

  init(_ built: LittleFSImagePipeline.Output, output: String) {
    self.output = output
    layout = built.layout.name
    blockSize = built.layout.blockSize
    blockCount = built.layout.blockCount
    format = FSBuildCommand.formatName(built.builder)
    nameMax = built.builder.effectiveNameMax
    files = built.files.map { File(name: $0.displayName, size: $0.size) }
    dataBytes = built.dataBytes
    usedBlocks = built.usage?.usedBlocks
  }
}
