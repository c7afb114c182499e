import Foundation
import Testing
import TestSupport
@testable import ESPLoader

/// Rebuilds every esptool packet in `testdata/esptool-traffic/*.decoded.txt` whose bytes the transcript fully
/// determines (all but the *_DATA payloads) and checks our encoder produces the same wire size for the same
/// fields — SLIP escapes included — and that replies parse to the values the decoder printed.
@Suite struct TranscriptTests {
  static let directory = Repository.testdata("esptool-traffic")

  static func transcripts() -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".decoded.txt") }.sorted().map { directory.appendingPathComponent($0) }
  }

  struct Line {
    var hostToDevice: Bool
    var wire: Int
    var name: String
    var fields: [String: String]
    var text: String
  }

  static func parse(_ url: URL) -> [Line] {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    var lines: [Line] = []
    for raw in text.split(separator: "\n") where !raw.hasPrefix("#") {
      let parts = raw.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      guard parts.count >= 4, let wireIndex = parts.firstIndex(where: { $0.hasPrefix("wire=") }) else { continue }
      var wireText = parts[wireIndex].dropFirst(5)
      var next = wireIndex + 1
      if wireText.isEmpty { wireText = Substring(parts[next]); next += 1 }
      guard let wire = Int(wireText.dropLast()) else { continue }
      let rest = Array(parts[next...])
      var fields: [String: String] = [:]
      for token in rest {
        let clean = token.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if let eq = clean.firstIndex(of: "=") { fields[String(clean[..<eq])] = String(clean[clean.index(after: eq)...]) }
      }
      let name = rest.first == "resp" ? "resp " + (rest.count > 1 ? rest[1] : "") : (rest.first ?? "")
      lines.append(Line(hostToDevice: parts[1] == "H>D", wire: wire, name: name, fields: fields, text: String(raw)))
    }
    return lines
  }

  static func number(_ s: String?) -> UInt32? {
    guard let s else { return nil }
    if s.hasPrefix("0x") { return UInt32(s.dropFirst(2), radix: 16) }
    return UInt32(s)
  }

  static func bytes(hex: String) -> [UInt8]? { Flasher.parseHex(Array(hex.utf8)) }

  /// The command a request line describes; nil for lines whose payload the transcript does not carry.
  static func command(for line: Line) -> Command? {
    let f = line.fields
    let n = { (k: String) in number(f[k]) }
    switch line.name {
    case "SYNC(0x08)": return .sync
    case "GET_SECURITY_INFO(0x14)": return .getSecurityInfo
    case "READ_REG(0x0a)": return n("addr").map { .readReg(address: $0) }
    case "WRITE_REG(0x09)":
      guard let a = n("addr"), let v = n("val"), let m = n("mask"), let d = n("delay_us") else { return nil }
      return .writeReg([.init(address: a, value: v, mask: m, delayMicroseconds: d)])
    case "FLASH_BEGIN(0x02)", "FLASH_DEFL_BEGIN(0x10)":
      let size = n("erase_size") ?? n("uncompressed_size")
      guard let size, let b = n("num_blocks"), let bs = n("block_size"), let o = n("offset") else { return nil }
      return line.name.hasPrefix("FLASH_BEGIN")
        ? .flashBegin(eraseSize: size, blocks: b, blockSize: bs, offset: o, encrypt: n("encrypted"))
        : .flashDeflBegin(size: size, blocks: b, blockSize: bs, offset: o, encrypt: n("encrypted"))
    case "FLASH_END(0x04)": return n("flag").map { .flashEnd(runUserCode: $0 == 1) }
    case "FLASH_DEFL_END(0x12)": return n("flag").map { .flashDeflEnd(runUserCode: $0 == 1) }
    case "MEM_BEGIN(0x05)":
      guard let s = n("total_size"), let b = n("num_blocks"), let bs = n("block_size"), let o = n("offset") else { return nil }
      return .memBegin(totalSize: s, blocks: b, blockSize: bs, address: o)
    case "MEM_END(0x06)": return n("entry").map { .memEnd(entry: $0) }
    case "SPI_ATTACH(0x0d)":
      let args = (f["args"] ?? "").split(separator: ",").compactMap { number(String($0)) }
      return args.first.map { .spiAttach(config: $0, romForm: args.count == 2) }
    case "SPI_SET_PARAMS(0x0b)": return n("total_size").map { .spiSetParams(totalSize: $0) }
    case "SPI_FLASH_MD5(0x13)":
      guard let a = n("addr"), let s = n("size") else { return nil }
      return .spiFlashMD5(offset: a, size: s)
    case "READ_FLASH_SLOW(0x0e)":
      guard let a = n("addr"), let s = n("size") else { return nil }
      return .readFlashSlow(offset: a, length: s)
    case "READ_FLASH(0xd2)":
      guard let o = n("offset"), let l = n("length"), let p = n("packet_size"), let m = n("max_in_flight") else { return nil }
      return .readFlash(offset: o, length: l, packetSize: p, maxUnacked: m)
    case "CHANGE_BAUDRATE(0x0f)":
      guard let new = n("new_baud"), let old = n("old_baud") else { return nil }
      return .changeBaudrate(new: new, old: old)
    case "ERASE_REGION(0xd1)":
      guard let o = n("offset"), let s = n("size") else { return nil }
      return .eraseRegion(offset: o, size: s)
    default: return nil
    }
  }

  @Test func transcriptsArePresent() {
    #expect(Self.transcripts().count == 21)
  }

  @Test(arguments: transcripts())
  func requestsRebuildToTheSameWireBytes(url: URL) {
    var checked = 0
    for line in Self.parse(url) where line.hostToDevice {
      if line.name.hasSuffix("_DATA(0x03)") || line.name.hasSuffix("_DATA(0x11)") || line.name.hasSuffix("_DATA(0x07)") {
        // Payload not recorded: check the sub-header arithmetic and that esptool's checksum is ours.
        let len = Int(Self.number(line.fields["len"]) ?? 0), dataLen = Int(Self.number(line.fields["data_len"]) ?? 0)
        #expect(len == dataLen + 16, "\(line.text)")
        #expect(line.fields["chk_hdr"] == line.fields["chk_calc"], "\(line.text)")
        #expect(line.wire >= 8 + len + 2, "\(line.text)")
        continue
      }
      if line.name == "READ_FLASH", let total = Self.number(line.fields["total_received"]) {
        #expect(SLIP.encode(Command.words([total])).count == line.wire, "\(line.text)")
        checked += 1
        continue
      }
      guard let command = Self.command(for: line) else {
        Issue.record("unparsed request line: \(line.text)")
        continue
      }
      #expect(command.frame.count == line.wire, "\(line.text)")
      if let len = Self.number(line.fields["len"]) { #expect(command.body.count == Int(len), "\(line.text)") }
      checked += 1
    }
    #expect(checked > 0)
  }

  @Test(arguments: transcripts())
  func repliesParseToWhatTheDecoderPrinted(url: URL) throws {
    var checked = 0
    for line in Self.parse(url) where !line.hostToDevice && line.name.hasPrefix("resp ") {
      let name = line.name.dropFirst(5)
      guard let open = name.firstIndex(of: "("), let opcode = UInt8(name[name.index(open, offsetBy: 3)...].dropLast(), radix: 16),
            let size = Self.number(line.fields["size"]), let value = Self.number(line.fields["val"]) else {
        Issue.record("unparsed reply line: \(line.text)")
        continue
      }
      var data: [UInt8] = []
      var expectedLength = 0
      if let md5 = line.fields["md5_hex"] { data += Array(md5.utf8); expectedLength = 32 }
      if let md5 = line.fields["md5_bin"] { data += Self.bytes(hex: md5) ?? []; expectedLength = 16 }
      if let status = line.fields["status"] { data += Self.bytes(hex: status) ?? [] }
      if let raw = line.fields["data"] { data += Self.bytes(hex: raw) ?? [] }
      if line.fields["data64"] != nil { continue }  // 64 bytes elided in the transcript
      let frame = [1, opcode, UInt8(size & 0xFF), UInt8(size >> 8)] + Command.words([value]) + data
      #expect(SLIP.encode(frame).count == line.wire, "\(line.text)")
      let reply = try #require(Response(frame: frame))
      #expect(reply.value == value)
      let status = try #require(reply.status(expectedDataLength: expectedLength))
      if line.fields["data"] != nil {
        #expect(status.first == 1 && status.second == 5, "refusals in the captures are ROM error 0x105: \(line.text)")
      } else {
        #expect(status.first == 0, "\(line.text)")
      }
      if let md5 = line.fields["md5_hex"] {
        let digest = Flasher.parseHex(reply.payload(expectedDataLength: 32) ?? [])
        #expect(digest == Self.bytes(hex: md5))
      }
      if let md5 = line.fields["md5_bin"] {
        #expect(reply.payload(expectedDataLength: 16) == Self.bytes(hex: md5))
      }
      checked += 1
    }
    #expect(checked > 0)
  }
}
