import DeviceSimulator
import ESPFlashKit
import ESPLoader
import Foundation
import SPIFFS
import Testing
import TestSupport

/// Upload and download through the library, in process, against the virtual board: no binary, no parsing.
@Suite struct TransferTests {
  @Test func aFolderRoundTripsThroughTheVirtualESP32() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    let preset = try bench.preset("esp32-default")
    let built = try ImagePipeline(options: .init(dataDir: bench.data.path, preset: preset)).run()
    let target = try PartitionTarget.resolve(preset: preset, offset: nil)
    let log = EventLog()
    let upload = try SPIFFSTransfer.upload(built, dataDir: bench.data.path, to: target,
                                           connection: bench.connection("esp32"), events: log.handler)
    // The ESP32 ROM verifies by MD5; the result says so only because the board's MD5 matched.
    #expect(upload.verified, "seed \(bench.seed): \(upload.notVerifiedReason ?? "")")
    #expect(upload.md5 == Flasher.md5Hex(built.image))
    #expect(upload.size == preset.imageSize && upload.address == "0x290000" && upload.chip == "esp32")
    #expect(upload.files.map(\.name) == ["/config.json", "/empty.txt", "/index.html", "/www/app.js", "/www/img/logo.bin"])
    #expect(log.transfersBalanced && log.sessionsEnded == 1)
    #expect(upload.wire.map { $0.hostToDevice > 0 && $0.virtualBoard != nil } == true)

    let download = try SPIFFSTransfer.download(target, connection: bench.connection("esp32"), events: log.handler)
    #expect(download.md5 == upload.md5, "seed \(bench.seed)")
    #expect(download.bytes == built.image)
    let listed = try SPIFFSTransfer.list(download.bytes, preset: preset)
    #expect(listed.map(\.name) == upload.files.map(\.name))
    #expect(listed.map(\.size) == upload.files.map(\.size))

    let image = try ImageMount.mount(download.bytes, preset: preset)
    let out = bench.root.appendingPathComponent("out")
    let summary = try SafeExtraction.extract(image, into: out.path, force: false)
    #expect(summary.files == 5)
    for name in ["index.html", "config.json", "www/app.js", "www/img/logo.bin", "empty.txt"] {
      let original = try Data(contentsOf: bench.data.appendingPathComponent(name))
      #expect(try Data(contentsOf: out.appendingPathComponent(name)) == original, "\(name), seed \(bench.seed)")
    }
    // The JSON of a result decodes to the same value.
    let decoded = try JSONDecoder().decode(UploadResult.self, from: Data(try ResultJSON.encode(upload)))
    #expect(decoded.md5 == upload.md5 && decoded.files == upload.files && decoded.verified)
  }

  @Test func theESP8266ROMWritesButSaysItCannotVerifyOrReadBack() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    let preset = try bench.preset("4M1M")
    let built = try ImagePipeline(options: .init(dataDir: bench.data.path, preset: preset)).run()
    let target = try PartitionTarget.resolve(preset: preset, offset: nil)
    let upload = try SPIFFSTransfer.upload(built, dataDir: bench.data.path, to: target,
                                           connection: bench.connection("esp8266"), events: WorkflowEventsDefaults.silent)
    #expect(!upload.verified)
    #expect(upload.notVerifiedReason?.contains("no MD5 command") == true)
    let board = try bench.boardBytes()
    #expect(Array(board[target.offset..<target.end]) == built.image, "seed \(bench.seed)")
    #expect {
      try SPIFFSTransfer.download(target, connection: bench.connection("esp8266"), events: WorkflowEventsDefaults.silent)
    } throws: { error in
      if case .unsupported = error as? LoaderError { return true }
      return false
    }
  }

  @Test func aBoardOfTheOtherFamilyIsRefusedBeforeTheStubOrTheBaudChange() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    let preset = try bench.preset("4M1M")
    let built = try ImagePipeline(options: .init(dataDir: bench.data.path, preset: preset)).run()
    let target = try PartitionTarget.resolve(preset: preset, offset: nil)
    let log = EventLog()
    var connection = bench.connection("esp32")
    connection.stub = .path("/no/such/stub.json")  // would fail loudly if the session got as far as the stub
    #expect {
      try SPIFFSTransfer.upload(built, dataDir: bench.data.path, to: target, connection: connection, events: log.handler)
    } throws: { error in
      guard let mismatch = error as? BoardMismatch else { return false }
      return mismatch.kind == .platform && mismatch.chip == .esp32 && mismatch.flashSize == 4 << 20
    }
    #expect(!log.notes.contains { $0.contains("stub") || $0.contains("baud") }, "\(log.notes)")
    // The session still ended: the --after reset ran and the statistics were reported.
    #expect(log.sessionsEnded == 1)
    #expect(log.notes.contains("Hard reset via RTS."))
    #expect(try bench.boardBytes().allSatisfy { $0 == 0xFF })
  }

  @Test func aPartitionPastTheFlashEndIsRefusedAndNothingIsWritten() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    let preset = try bench.preset("esp32-default")
    let built = try ImagePipeline(options: .init(dataDir: bench.data.path, preset: preset)).run()
    let target = try PartitionTarget.resolve(preset: preset, offset: 0x1F0000)
    #expect {
      try SPIFFSTransfer.upload(built, dataDir: bench.data.path, to: target, connection: bench.connection("esp32", flash: "2MB"),
                                events: WorkflowEventsDefaults.silent)
    } throws: { error in (error as? BoardMismatch)?.kind == .pastFlashEnd }
    #expect(try bench.boardBytes().allSatisfy { $0 == 0xFF })
  }

  @Test func aVirtualBoardImageInAMissingFolderIsRefusedBeforeAnythingIsSent() throws {
    let bench = try KitBench()
    defer { bench.remove() }
    let preset = try bench.preset("esp32-default")
    let built = try ImagePipeline(options: .init(dataDir: bench.data.path, preset: preset)).run()
    let target = try PartitionTarget.resolve(preset: preset, offset: nil)
    let missing = bench.root.appendingPathComponent("no-such-folder/board.bin").path
    let connection = ConnectionSettings(port: "sim://esp32?image=\(missing)", stub: .none, environment: [:])
    let log = EventLog()
    #expect {
      try SPIFFSTransfer.upload(built, dataDir: bench.data.path, to: target, connection: connection, events: log.handler)
    } throws: { error in
      guard case .invalidAddress(_, let reason) = (error as? PortOpenFailure)?.error else { return false }
      return reason.contains("does not exist")
    }
    #expect(!log.notes.contains { $0.hasPrefix("Connecting") })
  }
}
