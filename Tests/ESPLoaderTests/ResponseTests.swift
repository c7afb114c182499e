import Testing
@testable import ESPLoader

@Suite struct ResponseTests {
  func frame(_ op: UInt8, size: Int? = nil, value: UInt32 = 0, data: [UInt8]) -> [UInt8] {
    let s = size ?? data.count
    return [1, op, UInt8(s & 0xFF), UInt8(s >> 8)] + Command.words([value]) + data
  }

  @Test func esp8266RomReadRegHasTwoStatusBytes() throws {
    // Real trace (§1.3): 01 0a 02 00 <val> 00 00
    let r = try #require(Response(frame: frame(0x0A, value: 0xFFF0_C101, data: [0, 0])))
    #expect(r.value == 0xFFF0_C101)
    #expect(r.status(expectedDataLength: 0)! == (0, 0))
  }

  @Test func esp32RomStatusIsFourBytesAndFirstTwoCount() throws {
    let r = try #require(Response(frame: frame(0x0A, value: 7, data: [0, 0, 0, 0])))
    #expect(r.status(expectedDataLength: 0)! == (0, 0))
    let bad = try #require(Response(frame: frame(0x14, data: [1, 5, 0, 0])))
    #expect(bad.status(expectedDataLength: 0)! == (1, 5))
    #expect(DeviceStatus(first: 1, second: 5).description.contains("0x105"))
  }

  @Test func shortReplyFallsBackToFirstTwoDataBytes() throws {
    // GET_SECURITY_INFO wants 20 bytes; a ROM that refuses sends only `01 05 00 00` (c01).
    let r = try #require(Response(frame: frame(0x14, data: [1, 5, 0, 0])))
    #expect(r.status(expectedDataLength: 20)! == (1, 5))
    #expect(r.payload(expectedDataLength: 20) == nil)
  }

  @Test func headerSizeIsIgnored() throws {
    // esp-flasher-stub issue #12: size=2 on a 16+2-byte MD5 reply.
    let digest = [UInt8](0..<16)
    let r = try #require(Response(frame: frame(0x13, size: 2, data: digest + [0, 0])))
    #expect(r.payload(expectedDataLength: 16) == digest)
    #expect(r.status(expectedDataLength: 16)! == (0, 0))
  }

  @Test func stubErrorIsInTheFirstByte() {
    let s = DeviceStatus(first: 0xC1, second: 0)
    #expect(s.code == 0xC1)
    #expect(s.description == "stub error 0xC1: bad data checksum")
    // The mock's [1, code] layout is understood too.
    #expect(DeviceStatus(first: 1, second: 0xFF).description.contains("not implemented"))
  }

  @Test(arguments: [(UInt8(0x05), "not support"), (0x07, "checksum"), (0x08, "flash write"), (0x09, "flash read"),
                    (0x0A, "read length"), (0x0B, "deflate"), (0x0C, "Adler")])
  func romCodesAreExplained(code: UInt8, phrase: String) {
    #expect(DeviceStatus(first: 1, second: code).description.contains(phrase))
  }

  @Test func notAReply() {
    #expect(Response(frame: [0, 8, 0, 0, 0, 0, 0, 0]) == nil)
    #expect(Response(frame: [1, 8, 0]) == nil)
  }

  @Test func romMD5HexParses() {
    let text = Array("783d7c26d8816ec7656c761085e1d7ff".utf8)
    let bytes = Flasher.parseHex(text)
    #expect(bytes?.count == 16)
    #expect(bytes?.first == 0x78)
    #expect(bytes?.last == 0xFF)
    #expect(Flasher.parseHex(Array("zz".utf8)) == nil)
  }
}
