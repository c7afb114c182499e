/// Loader command opcodes (`rom-protocol.md` §2); names follow esptool.
public enum Opcode: UInt8, CaseIterable, Sendable, CustomStringConvertible {
  case flashBegin = 0x02
  case flashData = 0x03
  case flashEnd = 0x04
  case memBegin = 0x05
  case memEnd = 0x06
  case memData = 0x07
  case sync = 0x08
  case writeReg = 0x09
  case readReg = 0x0A
  case spiSetParams = 0x0B
  case spiAttach = 0x0D
  case readFlashSlow = 0x0E
  case changeBaudrate = 0x0F
  case flashDeflBegin = 0x10
  case flashDeflData = 0x11
  case flashDeflEnd = 0x12
  case spiFlashMD5 = 0x13
  case getSecurityInfo = 0x14
  // Stub-only commands.
  case eraseFlash = 0xD0
  case eraseRegion = 0xD1
  case readFlash = 0xD2
  case runUserCode = 0xD3

  /// esptool's upper-case name, used in every message a user sees.
  public var description: String {
    switch self {
    case .flashBegin: "FLASH_BEGIN"
    case .flashData: "FLASH_DATA"
    case .flashEnd: "FLASH_END"
    case .memBegin: "MEM_BEGIN"
    case .memEnd: "MEM_END"
    case .memData: "MEM_DATA"
    case .sync: "SYNC"
    case .writeReg: "WRITE_REG"
    case .readReg: "READ_REG"
    case .spiSetParams: "SPI_SET_PARAMS"
    case .spiAttach: "SPI_ATTACH"
    case .readFlashSlow: "READ_FLASH_SLOW"
    case .changeBaudrate: "CHANGE_BAUDRATE"
    case .flashDeflBegin: "FLASH_DEFL_BEGIN"
    case .flashDeflData: "FLASH_DEFL_DATA"
    case .flashDeflEnd: "FLASH_DEFL_END"
    case .spiFlashMD5: "SPI_FLASH_MD5"
    case .getSecurityInfo: "GET_SECURITY_INFO"
    case .eraseFlash: "ERASE_FLASH"
    case .eraseRegion: "ERASE_REGION"
    case .readFlash: "READ_FLASH"
    case .runUserCode: "RUN_USER_CODE"
    }
  }

  /// Name for a raw opcode byte, known or not.
  public static func name(of raw: UInt8) -> String {
    Opcode(rawValue: raw)?.description ?? "opcode 0x" + String(raw, radix: 16, uppercase: true)
  }
}
