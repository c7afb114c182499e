import Credentials
import ESPFlashKit
import Foundation
import SPIFFS
import Testing
import TestSupport

/// The image pipeline's refusals and results, in process.
@Suite struct PipelineTests {
  @Test func theReferenceFolderPacksInTheReferenceOrderAsTheBuilderWould() throws {
    // Byte-identity with mkspiffs' images is checked on the builder (SPIFFSTests) and `fs build` (CLI tests);
    // here: the pipeline reads, orders and packs exactly what the builder gets, nothing more.
    let data = Repository.testdata("spiffs/input/basic").path
    let orderText = try String(contentsOf: Repository.testdata("spiffs/expected/esp8266_4M1M_basic.order.txt"), encoding: .utf8)
    let order = orderText.split(separator: "\n").map(String.init)
    let preset = try #require(SPIFFSLayoutPresets.named("4M1M"))
    let built = try ImagePipeline(options: .init(dataDir: data, preset: preset, format: .mkspiffs)).run()
    #expect(built.files.map(\.displayName) == order)
    let files = try built.files.map {
      SPIFFSFile(nameBytes: $0.spiffsName, contents: [UInt8](try Data(contentsOf: URL(fileURLWithPath: data + $0.displayName))))
    }
    let direct = try SPIFFSBuilder(layout: preset.layout, format: .mkspiffs).build(files)
    #expect(firstDifference(built.image, direct.image) == nil)
    let report = ImageBuildReport(built, dataDir: data, preset: preset)
    #expect(report.flashOffset == 0x300000 && report.files.map(\.name) == order)
    #expect(report.freeBytes == built.usage?.freeBytes && report.freeBytes != nil)
  }

  @Test func filesThatDoNotFitAreRefusedBeforeBuilding() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    try bench.write([UInt8](repeating: 7, count: 200_000), to: "data/big.bin")
    let preset = try #require(SPIFFSLayoutPresets.named("1M128"))
    #expect {
      try ImagePipeline(options: .init(dataDir: bench.data.path, preset: preset)).run()
    } throws: { error in
      guard let fit = error as? ImageDoesNotFit else { return false }
      return fit.neededBytes > fit.capacityBytes && fit.largerPreset.map { $0.imageSize >= fit.neededBytes } == true
    }
  }

  @Test func aCustomLayoutHasNoFlashAddressUntilOneIsGiven() throws {
    let custom = SPIFFSLayoutPreset.custom(platform: .esp32, imageSize: 0x20000, blockSize: 4096)
    #expect(custom.isCustom && custom.knownFlashOffset == nil)
    #expect(throws: PartitionTargetError.noFlashAddress) { try PartitionTarget.resolve(preset: custom, offset: nil) }
    #expect(throws: PartitionTargetError.unalignedOffset(0x3D0100)) { try PartitionTarget.resolve(preset: custom, offset: 0x3D0100) }
    #expect(try PartitionTarget.resolve(preset: custom, offset: 0x3D0000).end == 0x3F0000)
  }

  @Test func unknownRenamesAndCredentialErrorsStopTheBuild() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    let preset = try #require(SPIFFSLayoutPresets.named("4M1M"))
    var options = ImagePipeline.Options(dataDir: bench.data.path, preset: preset)
    options.credentials.renames = ["nope.pem": "x.der"]
    #expect { try ImagePipeline(options: options).run() } throws: { ($0 as? UnknownRenameSource)?.names == ["nope.pem"] }

    // A certificate whose key is missing is a warning, a garbled PEM an error: the build stops after the event.
    try bench.write(Array("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".utf8), to: "data/cert.pem")
    let log = EventLog()
    #expect {
      try ImagePipeline(options: .init(dataDir: bench.data.path, preset: preset), events: log.handler).run()
    } throws: { error in (error as? CredentialCheckFailed).map { $0.errors > 0 && $0.target == .esp8266BearSSL } == true }
    #expect(log.events.contains { if case .credentialsChecked(let outcome) = $0 { outcome.errors > 0 } else { false } })
  }
}
