/// A reply packet (`rom-protocol.md` §1.3): direction 1, the echoed opcode, a size, the `value` word and data
/// that ends with status bytes.
public struct Response: Sendable, Equatable {
  public var opcode: UInt8
  /// The header's size field. Not trusted: one stub version sent 2 on an 18-byte reply (§1.3).
  public var size: UInt16
  /// READ_REG's result; junk for most other commands.
  public var value: UInt32
  /// Everything after the 8-byte header.
  public var data: [UInt8]

  public init(opcode: UInt8, size: UInt16, value: UInt32, data: [UInt8]) {
    self.opcode = opcode
    self.size = size
    self.value = value
    self.data = data
  }

  /// Parses a decoded frame; nil when it is not a reply (too short or direction ≠ 1).
  public init?(frame: [UInt8]) {
    guard frame.count >= 8, frame[0] == 0x01 else { return nil }
    opcode = frame[1]
    size = UInt16(frame[2]) | UInt16(frame[3]) << 8
    value = UInt32(frame[4]) | UInt32(frame[5]) << 8 | UInt32(frame[6]) << 16 | UInt32(frame[7]) << 24
    data = Array(frame[8...])
  }

  /// The two status bytes that sit right after `expectedDataLength` bytes of response data; when the reply
  /// is shorter than that, the first two data bytes (esptool's rule, §1.3). nil when fewer than 2 bytes came.
  public func status(expectedDataLength: Int) -> (first: UInt8, second: UInt8)? {
    if data.count >= expectedDataLength + 2 {
      return (data[expectedDataLength], data[expectedDataLength + 1])
    }
    guard data.count >= 2 else { return nil }
    return (data[0], data[1])
  }

  /// The response data before the status bytes, when the reply is long enough to hold it.
  public func payload(expectedDataLength: Int) -> [UInt8]? {
    guard data.count >= expectedDataLength + 2 else { return nil }
    return Array(data[0..<expectedDataLength])
  }
}

/// A failure status a loader reported, decoded for people (§1.4).
///
/// ROMs send `[1, code]`; stubs put their own code (0xC0…0xFF) in the first byte. Some emulators send a stub
/// code as `[1, code]`, so a code ≥ 0xC0 is read as a stub code wherever it appears.
public struct DeviceStatus: Sendable, Hashable, CustomStringConvertible {
  public var first: UInt8
  public var second: UInt8
  /// Who answered: a stub (true), a ROM (false), or unknown (nil; decoded by the value ranges alone).
  public var fromStub: Bool?

  public init(first: UInt8, second: UInt8, fromStub: Bool? = nil) {
    self.first = first
    self.second = second
    self.fromStub = fromStub
  }

  /// The meaningful code: the stub code, or the ROM error byte.
  public var code: UInt8 { first >= 0xC0 ? first : second }

  public var description: String {
    if first >= 0xC0 || second >= 0xC0 {
      let c = code
      return "stub error 0x\(hex(c)): \(DeviceStatus.stubMessage(c))"
    }
    if fromStub == true {
      // A stub puts its code in the first byte; [01 00] is a plain failure without a code, not ROM error 0x100.
      if first > 1, second == 0, (0x32...0x37).contains(first) {
        return "stub erase error 0x\(hex(first)): \(DeviceStatus.legacyEraseMessage(first))"
      }
      return "stub failure status 0x\(hex(first))" + (second == 0 ? " (no error code given)" : ", detail 0x\(hex(second))")
    }
    if first == 1 {
      return "ROM error 0x1\(hex(second)): \(DeviceStatus.romMessage(second))"
    }
    if first > 1, second == 0, (0x32...0x37).contains(first) {
      return "stub erase error 0x\(hex(first)): \(DeviceStatus.legacyEraseMessage(first))"
    }
    return "status 0x\(hex(first)) 0x\(hex(second))"
  }

  /// ROM error codes (§1.4, esptool `ESPLoader` error table).
  public static func romMessage(_ code: UInt8) -> String {
    switch code {
    case 0x00: "undefined error"
    case 0x01: "invalid input parameter"
    case 0x02: "out of memory on the chip"
    case 0x03: "send failed"
    case 0x04: "receive failed"
    case 0x05: "invalid message format, or a command this ROM does not support"
    case 0x06: "the command ran but its result is wrong"
    case 0x07: "checksum error (data corrupted on the way)"
    case 0x08: "flash write error (the block read back differently)"
    case 0x09: "flash read error"
    case 0x0A: "flash read length error"
    case 0x0B: "deflate (decompression) failed"
    case 0x0C: "deflate Adler-32 checksum error"
    case 0x0D: "deflate parameter error"
    case 0x0E: "invalid RAM binary size"
    case 0x0F: "invalid RAM binary address"
    case 0x64: "invalid parameter"
    case 0x65: "invalid format"
    case 0x66: "description too long"
    case 0x67: "bad encoding description"
    case 0x69: "insufficient storage"
    default: "unknown ROM error"
    }
  }

  /// Stub error codes (§1.4; esptool-legacy-flasher-stub and esp-flasher-stub).
  public static func stubMessage(_ code: UInt8) -> String {
    switch code {
    case 0xC0: "bad data length"
    case 0xC1: "bad data checksum"
    case 0xC2: "bad block size"
    case 0xC3: "invalid command"
    case 0xC4: "SPI flash operation failed"
    case 0xC5: "SPI unlock failed"
    case 0xC6: "not in flash mode (no FLASH_BEGIN before the data)"
    case 0xC7: "inflate error (compressed data is corrupt)"
    case 0xC8: "not enough data"
    case 0xC9: "too much data"
    case 0xCA: "NAND program failure"
    case 0xCB: "NAND erase failure"
    case 0xEE: "command too long for the stub's buffer"
    case 0xFF: "command not implemented by this stub"
    default: "unknown stub error"
    }
  }

  /// The legacy stub's raw ERASE_REGION failure values (§1.4).
  static func legacyEraseMessage(_ code: UInt8) -> String {
    switch code {
    case 0x32, 0x33: "erase region not aligned to 4 KiB sectors"
    case 0x34: "flash unlock failed"
    default: "flash erase failed"
    }
  }
}

func hex(_ v: UInt8) -> String {
  let s = String(v, radix: 16, uppercase: true)
  return s.count == 1 ? "0" + s : s
}

/// `0x300000` for messages.
public func hexAddress(_ v: some BinaryInteger) -> String { "0x" + String(v, radix: 16, uppercase: true) }
