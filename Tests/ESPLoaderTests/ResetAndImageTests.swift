import Crypto
import Foundation
import Testing
@testable import ESPLoader
@testable import ESPTransport

/// DTR/RTS sequences, `--after`, image-header patching, deflate accounting and stub lookup.
@Suite struct ResetAndImageTests {
  /// Records every control-line write as (dtr, rts) state after the write.
  final class LineRecorder: Transport {
    var name = "rec"
    var baudRate = 115_200
    var supportsControlLines = true
    var dtr = false, rts = false
    var states: [String] = []
    func write(_ bytes: [UInt8]) throws(TransportError) {}
    func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8] { [] }
    func discardInput() throws(TransportError) {}
    func setBaudRate(_ baud: Int) throws(TransportError) {}
    func setControlLines(dtr d: Bool?, rts r: Bool?) throws(TransportError) {
      if let d { dtr = d }
      if let r { rts = r }
      states.append((d != nil && r != nil ? "U" : "") + "\(dtr ? 1 : 0)\(rts ? 1 : 0)")
    }
    func close() {}
  }

  @Test func classicResetMatchesEsptool() throws {
    let rec = LineRecorder()
    var sleeps: [Double] = []
    try ResetStrategy.classic(delay: 0.05).run(ControlLines(transport: rec)) { sleeps.append($0) }
    // DTR=0; RTS=1 (+DTR rewrite); sleep 0.1; DTR=1; RTS=0 (+DTR rewrite); sleep 0.05; DTR=0.
    #expect(rec.states == ["00", "01", "01", "11", "10", "10", "00"])
    #expect(sleeps == [0.1, 0.05])
  }

  @Test func unixTightResetSetsBothLinesAtOnce() throws {
    let rec = LineRecorder()
    var sleeps: [Double] = []
    try ResetStrategy.unixTight(delay: 0.55).run(ControlLines(transport: rec)) { sleeps.append($0) }
    #expect(rec.states == ["U00", "U11", "U01", "U10", "U00", "00"])
    #expect(sleeps == [0.1, 0.55])
  }

  @Test func usbJTAGSerialResetPassesThroughBothAsserted() throws {
    let rec = LineRecorder()
    try ResetStrategy.usbJTAGSerial.run(ControlLines(transport: rec)) { _ in }
    #expect(rec.states.contains("11"))
    #expect(rec.states.last == "00")
  }

  @Test func connectCyclesStrategiesLikeEsptool() {
    #expect(ResetStrategy.cycle(for: .defaultReset, usbJTAGSerial: false)
            == [.unixTight(delay: 0.05), .unixTight(delay: 0.55), .classic(delay: 0.05), .classic(delay: 0.55)])
    #expect(ResetStrategy.cycle(for: .usbReset, usbJTAGSerial: false) == [.usbJTAGSerial])
  }

  @Test func hardResetPulsesRTS() throws {
    let rec = LineRecorder()
    var sleeps: [Double] = []
    try ControlLines(transport: rec).hardReset(usb: false) { sleeps.append($0) }
    #expect(rec.states == ["01", "01", "00", "00"])
    #expect(sleeps == [0.1])
  }

  @Test func softResetInROMRunsUserCodeAndInTheESP8266StubSendsRunUserCode() throws {
    let rom = FakeDevice(chip: .esp8266)
    let f = try Flasher.connect(transport: rom, options: ConnectOptions(before: .noReset), sleep: { _ in })
    try f.finish(.softReset)
    #expect(rom.sentCommands().suffix(2) == [0x02, 0x04])
    #expect(rom.received.last.map { Array($0[8...]) } == Command.words([1]))
    let stub = FakeDevice(chip: .esp8266)
    stub.mode = .stub
    let g = try Flasher.connect(transport: stub, options: ConnectOptions(before: .noReset), sleep: { _ in })
    try g.finish(.softReset)
    #expect(stub.sentCommands().last == 0xD3)
    // Over a link without reset lines a hard reset is impossible: a note, not an error.
    #expect(try g.finish(.hardReset)?.contains("no reset line") == true)
  }

  static func esp8266Image() -> [UInt8] {
    // E9, 1 segment, mode qio, size/freq 0x00, entry; one 4-byte segment.
    [0xE9, 0x01, 0x00, 0x00] + Command.words([0x4010_0004, 0x4010_0000, 4]) + [1, 2, 3, 4]
  }

  @Test func esp8266HeaderIsPatchedOnlyAtZero() throws {
    let image = Self.esp8266Image()
    let patched = try ImageHeader.patch(image, address: 0, chip: .esp8266, mode: .dio, frequency: .f80m,
                                        size: .detect, detectedSize: 4 << 20)
    #expect(Array(patched[0..<4]) == [0xE9, 0x01, 0x02, 0x4F])
    #expect(patched[4...] == image[4...])
    #expect(try ImageHeader.patch(image, address: 0x1000, chip: .esp8266, mode: .dio, frequency: nil, size: .keep,
                                  detectedSize: nil) == image)
    #expect(try ImageHeader.patch(image, address: 0, chip: .esp8266, mode: nil, frequency: nil, size: .keep,
                                  detectedSize: nil) == image)
    // FS images (not starting with E9) are never touched.
    let fs = [UInt8](repeating: 0xFF, count: 64)
    #expect(try ImageHeader.patch(fs, address: 0, chip: .esp8266, mode: .dout, frequency: nil, size: .detect, detectedSize: 1 << 20) == fs)
    #expect(throws: LoaderError.self) {
      try ImageHeader.patch(image, address: 0, chip: .esp8266, mode: nil, frequency: nil, size: .bytes(3 << 20), detectedSize: nil)
    }
  }

  @Test func esp32HeaderPatchRecomputesAppendedSHA256() throws {
    var image: [UInt8] = [0xE9, 0x01, 0x00, 0x20] + Command.words([0x4008_0000]) + [UInt8](repeating: 0, count: 16)
    image[23] = 1  // hash_appended
    image += Command.words([0x3FFB_0000, 8]) + [1, 2, 3, 4, 5, 6, 7, 8]
    // Pad so the checksum byte ends a 16-byte line, then the 32-byte SHA-256.
    while (image.count + 1) % 16 != 0 { image.append(0) }
    image.append(0xEF)
    let end = image.count
    image += Array(SHA256.hash(data: image))
    let patched = try ImageHeader.patch(image, address: 0x1000, chip: .esp32, mode: .dio, frequency: .f40m,
                                        size: .bytes(16 << 20), detectedSize: nil)
    #expect(patched[2] == 0x02 && patched[3] == 0x40)
    #expect(Array(patched[end...]) == Array(SHA256.hash(data: patched[0..<end])))
    #expect(Array(patched[end...]) != Array(image[end...]))
  }

  @Test func deflateIsZlibLevel9AndBlocksExpandToTheWhole() throws {
    let data = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 / 100) } + [UInt8](repeating: 0xFF, count: 300_000)
    let stream = try Deflate.compress(data)
    #expect(stream.prefix(2) == [0x78, 0xDA])
    #expect(Deflate.decompress(stream) == data)
    let counter = InflateCounter()
    var total = 0
    var i = 0
    while i < stream.count {
      total += try #require(counter.count(Array(stream[i..<min(stream.count, i + 0x400)])))
      i += 0x400
    }
    #expect(total == data.count)
    #expect(counter.finished)
    #expect(Deflate.decompress([0x78, 0xDA, 0x00, 0x01]) == nil)
  }

  @Test func stubJSONIsParsedAndBadOnesExplained() throws {
    let stub = try StubImage(json: Array(#"{"text":"AQI=","text_start":4,"entry":5}"#.utf8), source: "s.json")
    #expect(stub.text == [1, 2] && stub.data.isEmpty && stub.entry == 5)
    #expect(throws: LoaderError.self) { try StubImage(json: Array("[]".utf8), source: "x") }
    #expect(throws: LoaderError.self) { try StubImage(json: Array(#"{"text":"AQI=","entry":5}"#.utf8), source: "x") }
    #expect(throws: LoaderError.self) { try StubImage(json: Array(#"{"text":"AQI=","text_start":1,"entry":5,"data":"AQI="}"#.utf8), source: "x") }
  }

  @Test func stubLocatorPrefersVersion2() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("espflash-stubs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: root) }
    for v in ["1", "2"] {
      try FileManager.default.createDirectory(at: root.appendingPathComponent(v), withIntermediateDirectories: true)
    }
    try Data("{}".utf8).write(to: root.appendingPathComponent("1/esp8266.json"))
    #expect(StubLocator.find(chip: .esp8266, roots: [root.path]) == root.path + "/1/esp8266.json")
    try Data("{}".utf8).write(to: root.appendingPathComponent("2/esp8266.json"))
    #expect(StubLocator.find(chip: .esp8266, roots: ["/nonexistent", root.path]) == root.path + "/2/esp8266.json")
    #expect(StubLocator.find(chip: .esp32, roots: [root.path]) == nil)
    let roots = StubLocator.searchRoots(environment: ["ESPFLASH_STUB_DIR": root.path, "HOME": "/nonexistent"], askPython: false)
    #expect(roots.first == root.path)
  }
}
