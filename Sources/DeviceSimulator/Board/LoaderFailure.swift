/// Why the virtual loader refused a command. The same failure is reported with a different code by the ROM
/// (second status byte after `1`) and by a stub (first status byte), `rom-protocol.md` §1.4.
///
/// Where silicon's exact code is not documented (sequence and "no BEGIN" errors in ROM), the simulator's
/// choice is marked as such; `Sources/DeviceSimulator/README.md` lists these deviations.
public enum LoaderFailure: Error, Hashable, Sendable, CustomStringConvertible {
  /// Wrong request length or shape (ROM 0x05 "invalid message", stub 0xC0 "bad data length").
  case malformed
  /// An opcode this loader does not implement (ROM 0x05, stub 0xFF).
  case unsupportedCommand
  /// The XOR checksum of a *_DATA payload does not match the header (ROM 0x07, stub 0xC1).
  case badChecksum
  /// A DATA block whose `seq` is not the next one expected (simulator choice: ROM 0x01, stub 0xC0).
  case badSequence
  /// A DATA block longer than the BEGIN's block size, or a stub block size above 0x4000 (ROM 0x01, stub 0xC2).
  case badBlockSize
  /// DATA or END without a BEGIN (simulator choice: ROM 0x01; stub 0xC6).
  case notInFlashMode
  /// END before all announced data arrived (stub 0xC8; the ROM does not check).
  case notEnoughData
  /// More data than the BEGIN announced (ROM 0x01, stub 0xC9).
  case tooMuchData
  /// The ROM's per-block readback did not match what was sent: data went into unerased flash (ROM 0x08).
  case flashWriteError
  /// An address outside the configured flash geometry, or the ESP32 ROM's flash not attached (ROM 0x09,
  /// stub 0xC4).
  case flashReadError
  /// READ_FLASH_SLOW asked for more than 64 bytes (ROM 0x0A).
  case readLengthError
  /// The zlib stream is corrupt (ROM 0x0B, stub 0xC7).
  case inflateError
  /// MEM_BEGIN with a size the RAM cannot hold (ROM 0x0E).
  case ramSize
  /// MEM_BEGIN at an address that is not RAM (ROM 0x0F).
  case ramAddress
  /// A stub ERASE_REGION not aligned to 4 KiB (the legacy stub's raw 0x32).
  case eraseAlignment

  /// Second status byte in a ROM reply (first byte is 1).
  public var romCode: UInt8 {
    switch self {
    case .malformed, .unsupportedCommand: 0x05
    case .badChecksum: 0x07
    case .badSequence, .badBlockSize, .notInFlashMode, .notEnoughData, .tooMuchData, .eraseAlignment: 0x01
    case .flashWriteError: 0x08
    case .flashReadError: 0x09
    case .readLengthError: 0x0A
    case .inflateError: 0x0B
    case .ramSize: 0x0E
    case .ramAddress: 0x0F
    }
  }

  /// First status byte in a stub reply.
  public var stubCode: UInt8 {
    switch self {
    case .malformed, .badSequence, .readLengthError: 0xC0
    case .badChecksum: 0xC1
    case .badBlockSize: 0xC2
    case .flashWriteError, .flashReadError, .ramSize, .ramAddress: 0xC4
    case .notInFlashMode: 0xC6
    case .inflateError: 0xC7
    case .notEnoughData: 0xC8
    case .tooMuchData: 0xC9
    case .unsupportedCommand: 0xFF
    case .eraseAlignment: 0x32
    }
  }

  public var description: String {
    switch self {
    case .malformed: "malformed request"
    case .unsupportedCommand: "command not supported by this loader"
    case .badChecksum: "data checksum mismatch"
    case .badSequence: "unexpected block sequence number"
    case .badBlockSize: "bad block size"
    case .notInFlashMode: "not in flash mode (no BEGIN)"
    case .notEnoughData: "not enough data before END"
    case .tooMuchData: "more data than announced"
    case .flashWriteError: "flash write verify failed"
    case .flashReadError: "flash address outside the geometry or flash not attached"
    case .readLengthError: "read length above 64"
    case .inflateError: "corrupt zlib stream"
    case .ramSize: "RAM segment too large"
    case .ramAddress: "RAM segment outside RAM"
    case .eraseAlignment: "erase region not 4 KiB aligned"
    }
  }
}
