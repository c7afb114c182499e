import Foundation
import Testing
@testable import ESPLoader

/// After connecting, our flasher must send the same commands as esptool did in each capture, field for field
/// (sizes, block counts, offsets, sequence numbers, flags), for operations whose data the captures fix:
/// uncompressed writes of a file of the same length, MD5 verifies, reads and erases. Connect-time traffic
/// (SYNC, GET_SECURITY_INFO, register reads for MAC/flash id, the stub upload) is compared elsewhere and is
/// left out here, as is the FLASH_BEGIN(0,0) esptool uses to attach the ESP8266 flash for its id read.
@Suite struct TranscriptFlowTests {
  typealias Line = TranscriptTests.Line
  struct Step: Equatable, CustomStringConvertible {
    var name: String
    var fields: [String: UInt32]
    var description: String { name + " " + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(hexAddress($0.value))" }.joined(separator: " ") }
  }

  static let ignored: Set<String> = ["SYNC", "GET_SECURITY_INFO", "READ_REG", "WRITE_REG", "MEM_BEGIN", "MEM_DATA", "MEM_END"]
  static let keys = ["erase_size", "uncompressed_size", "num_blocks", "block_size", "offset", "encrypted", "len",
                     "data_len", "seq", "flag", "total_size", "addr", "size", "length", "packet_size", "max_in_flight",
                     "new_baud", "old_baud"]

  static func expected(_ capture: String) -> [Step] {
    guard let url = TranscriptTests.transcripts().first(where: { $0.lastPathComponent.hasPrefix(capture) }) else { return [] }
    var steps: [Step] = []
    for line in TranscriptTests.parse(url) where line.hostToDevice {
      let name = String(line.name.prefix { $0 != "(" })
      guard !ignored.contains(name), line.name.contains("(0x") else { continue }
      var fields: [String: UInt32] = [:]
      for key in keys { if let v = TranscriptTests.number(line.fields[key]) { fields[key] = v } }
      if let args = line.fields["args"] {
        for (i, a) in args.split(separator: ",").enumerated() { fields["arg\(i)"] = TranscriptTests.number(String(a)) }
      }
      if name == "FLASH_BEGIN", fields["erase_size"] == 0, fields["num_blocks"] == 0 { continue }
      steps.append(Step(name: name, fields: fields))
    }
    return steps
  }

  /// The same normalisation of what our flasher sent.
  static func actual(_ frames: [[UInt8]]) -> [Step] {
    var steps: [Step] = []
    for f in frames where f.count >= 8 && f[0] == 0 {
      guard let op = Opcode(rawValue: f[1]), !ignored.contains(op.description) else { continue }
      let body = Array(f[8...])
      let w = { (i: Int) -> UInt32 in
        guard body.count >= i * 4 + 4 else { return 0 }
        return UInt32(body[i * 4]) | UInt32(body[i * 4 + 1]) << 8 | UInt32(body[i * 4 + 2]) << 16 | UInt32(body[i * 4 + 3]) << 24
      }
      var fields: [String: UInt32] = ["len": UInt32(body.count)]
      switch op {
      case .flashBegin, .flashDeflBegin:
        if op == .flashBegin, w(0) == 0, w(1) == 0 { continue }
        fields[op == .flashBegin ? "erase_size" : "uncompressed_size"] = w(0)
        fields["num_blocks"] = w(1); fields["block_size"] = w(2); fields["offset"] = w(3)
        if body.count == 20 { fields["encrypted"] = w(4) }
      case .flashData, .flashDeflData: fields["data_len"] = w(0); fields["seq"] = w(1)
      case .flashEnd, .flashDeflEnd: fields["flag"] = w(0)
      case .spiAttach: for i in 0..<(body.count / 4) { fields["arg\(i)"] = w(i) }
      case .spiSetParams: fields["total_size"] = w(1)
      case .spiFlashMD5: fields["addr"] = w(0); fields["size"] = w(1)
      case .readFlashSlow: fields["addr"] = w(0); fields["size"] = w(1)
      case .readFlash: fields["offset"] = w(0); fields["length"] = w(1); fields["packet_size"] = w(2); fields["max_in_flight"] = w(3)
      case .eraseRegion: fields["offset"] = w(0); fields["size"] = w(1)
      case .changeBaudrate: fields["new_baud"] = w(0); fields["old_baud"] = w(1)
      default: break
      }
      steps.append(Step(name: op.description, fields: fields))
    }
    return steps
  }

  static func run(_ chip: Chip, stub: Bool, _ body: (Flasher) throws -> Void) throws -> [Step] {
    let device = FakeDevice(chip: chip)
    if stub { device.mode = .stub }
    let flasher = try Flasher.connect(transport: device, options: ConnectOptions(before: .noReset, chip: chip), sleep: { _ in })
    #expect(flasher.isStub == stub)
    try body(flasher)
    return actual(device.received)
  }

  /// For compressed writes the stream (so block counts and data lengths) depends on the payload, which the
  /// captures do not include: compare everything else.
  static func withoutStreamSizes(_ steps: [Step]) -> [Step] {
    steps.filter { $0.name != "FLASH_DEFL_DATA" }.map { step in
      var s = step
      if s.name == "FLASH_DEFL_BEGIN" { s.fields["num_blocks"] = nil }
      return s
    }
  }

  static func compare(_ capture: String, _ ours: [Step], compressed: Bool = false) {
    var theirs = expected(capture)
    var ours = ours
    if compressed {
      theirs = withoutStreamSizes(theirs)
      ours = withoutStreamSizes(ours)
    }
    #expect(!theirs.isEmpty, "capture \(capture) not found")
    #expect(ours.count == theirs.count, "\(capture): \(ours.count) commands, esptool sent \(theirs.count)")
    for (i, (a, b)) in zip(ours, theirs).enumerated() where a != b {
      Issue.record("\(capture) command \(i): ours \(a), esptool \(b)")
      break
    }
  }

  static let megabyte = [UInt8](repeating: 0x5A, count: 0x10_0000)

  @Test func c03_esp8266RomWrite() throws {
    Self.compare("c03", try Self.run(.esp8266, stub: false) { _ = try $0.writeFlash(Self.megabyte, at: 0x30_0000, compress: false) })
  }

  @Test func c20_esp8266RomWriteFS4M1M() throws {
    Self.compare("c20", try Self.run(.esp8266, stub: false) { _ = try $0.writeFlash(Array(Self.megabyte.prefix(0xFA000)), at: 0x30_0000) })
  }

  @Test func c10_esp32RomWriteUncompressed() throws {
    Self.compare("c10", try Self.run(.esp32, stub: false) { _ = try $0.writeFlash(Self.megabyte, at: 0x30_0000, compress: false) })
  }

  @Test func c12_esp8266StubWriteUncompressed() throws {
    Self.compare("c12", try Self.run(.esp8266, stub: true) { _ = try $0.writeFlash(Self.megabyte, at: 0x30_0000, compress: false) })
  }

  @Test func c05_esp32RomVerify() throws {
    Self.compare("c05", try Self.run(.esp32, stub: false) { _ = try $0.flashMD5(offset: 0x30_0000, size: 0x10_0000) })
  }

  @Test func c06_esp32StubVerify() throws {
    Self.compare("c06", try Self.run(.esp32, stub: true) { _ = try $0.flashMD5(offset: 0x30_0000, size: 0x10_0000) })
  }

  @Test func c07_esp32RomRead4K() throws {
    Self.compare("c07", try Self.run(.esp32, stub: false) { _ = try $0.readFlash(offset: 0x30_0000, size: 0x1000) })
  }

  @Test func c08_c13_stubRead64K() throws {
    Self.compare("c08", try Self.run(.esp32, stub: true) { _ = try $0.readFlash(offset: 0x30_0000, size: 0x1_0000) })
    Self.compare("c13", try Self.run(.esp8266, stub: true) { _ = try $0.readFlash(offset: 0x30_0000, size: 0x1_0000) })
  }

  @Test func c15_esp32RomEraseRegion() throws {
    Self.compare("c15", try Self.run(.esp32, stub: false) { try $0.eraseRegion(offset: 0x3F_0000, size: 0x1_0000) })
  }

  @Test func c14_esp8266StubEraseRegion() throws {
    Self.compare("c14", try Self.run(.esp8266, stub: true) { try $0.eraseRegion(offset: 0x3F_0000, size: 0x1_0000) })
  }

  /// Like test_1MiB.bin: compressible, so every loader takes the zlib path.
  static let compressibleMegabyte = (0..<0x10_0000).map { UInt8(truncatingIfNeeded: ($0 >> 10) &* 7) }

  @Test func c04_c18_esp32RomCompressedWrite() throws {
    Self.compare("c04", try Self.run(.esp32, stub: false) { _ = try $0.writeFlash(Self.compressibleMegabyte, at: 0x30_0000) },
                 compressed: true)
    Self.compare("c18", try Self.run(.esp32, stub: false) {
      try $0.changeBaudRate(921_600)
      _ = try $0.writeFlash(Self.compressibleMegabyte, at: 0x30_0000)
    }, compressed: true)
  }

  @Test func c09_c11_c17_c21_stubCompressedWrite() throws {
    Self.compare("c09", try Self.run(.esp8266, stub: true) { _ = try $0.writeFlash(Self.compressibleMegabyte, at: 0x30_0000) },
                 compressed: true)
    Self.compare("c11", try Self.run(.esp32, stub: true) { _ = try $0.writeFlash(Self.compressibleMegabyte, at: 0x30_0000) },
                 compressed: true)
    Self.compare("c17", try Self.run(.esp8266, stub: true) {
      try $0.changeBaudRate(460_800)
      _ = try $0.writeFlash(Self.compressibleMegabyte, at: 0x30_0000)
    }, compressed: true)
    Self.compare("c21", try Self.run(.esp8266, stub: true) {
      _ = try $0.writeFlash(Array(Self.compressibleMegabyte.prefix(0xFA000)), at: 0x30_0000)
    }, compressed: true)
  }
}
