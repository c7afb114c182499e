/// The chips this tool knows. Their constants live in one `ChipDescriptor` each; the virtual board keeps its
/// own table and uses this enum only as a name.
public enum Chip: String, CaseIterable, Sendable, CustomStringConvertible {
  case esp8266
  case esp32
  case esp32s2 = "esp32s2"
  case esp32s3 = "esp32s3"
  case esp32c2 = "esp32c2"
  case esp32c3 = "esp32c3"
  case esp32c6 = "esp32c6"
  case esp32h2 = "esp32h2"

  /// esptool's display name ("ESP32-S3").
  public var description: String {
    switch self {
    case .esp8266: "ESP8266"
    case .esp32: "ESP32"
    case .esp32s2: "ESP32-S2"
    case .esp32s3: "ESP32-S3"
    case .esp32c2: "ESP32-C2"
    case .esp32c3: "ESP32-C3"
    case .esp32c6: "ESP32-C6"
    case .esp32h2: "ESP32-H2"
    }
  }

  /// Parses `esp32s3`, `esp32-s3`, `ESP32_S3`.
  public init?(argument: String) {
    let key = String(argument.lowercased().filter { $0 != "-" && $0 != "_" })
    guard let chip = Chip(rawValue: key) else { return nil }
    self = chip
  }

  /// This chip's facts (`ChipDescriptor+Table.swift`).
  public var descriptor: ChipDescriptor {
    switch self {
    case .esp8266: .esp8266
    case .esp32: .esp32
    case .esp32s2: .esp32s2
    case .esp32s3: .esp32s3
    case .esp32c2: .esp32c2
    case .esp32c3: .esp32c3
    case .esp32c6: .esp32c6
    case .esp32h2: .esp32h2
    }
  }

  /// Address of `CHIP_DETECT_MAGIC_REG_ADDR`, read when GET_SECURITY_INFO gives no chip id.
  public static let detectMagicRegister: UInt32 = 0x4000_1000

  /// Values of the magic register (esptool ≤ 4 list for the later chips; 5.x asks GET_SECURITY_INFO).
  public var magicValues: [UInt32] { descriptor.magicValues }

  /// IMAGE_CHIP_ID as GET_SECURITY_INFO reports it; nil where the ROM does not report one (ESP8266, ESP32
  /// and S2 are identified by their magic value).
  public var imageChipID: UInt32? { descriptor.usesMagicValue ? nil : descriptor.imageChipID }

  /// Finds the chip for a magic-register value.
  public static func detect(magic: UInt32) -> Chip? {
    allCases.first { $0.magicValues.contains(magic) }
  }

  /// Finds the chip for a GET_SECURITY_INFO chip id.
  public static func detect(imageChipID: UInt32) -> Chip? {
    allCases.first { $0.imageChipID == imageChipID }
  }

  /// Status bytes at the end of a ROM reply: 2 on the ESP8266, 4 on every ESP32-family ROM.
  public var romStatusLength: Int { descriptor.romStatusLength }

  /// Whether the ROM's FLASH_BEGIN / FLASH_DEFL_BEGIN take a fifth word (encryption); S2 and later.
  public var romFlashBeginTakesEncryptWord: Bool { descriptor.romFlashBeginWords == 5 }

  /// The ESP8266 ROM supports only 0x02–0x0A; ESP32-family ROMs add SPI_ATTACH, compressed writes, MD5.
  public var romIsESP8266Class: Bool { self == .esp8266 }

  /// Offset of the second-stage bootloader whose header esptool patches (flash mode/frequency/size).
  public var bootloaderOffset: UInt32 { descriptor.bootloaderOffset }

  /// The SPI controller registers used to run a flash command such as RDID (§4.3).
  public var spiRegisters: SPIRegisters { descriptor.spi }
}

/// Addresses of the SPI flash controller registers a client drives to send a raw flash command.
public struct SPIRegisters: Hashable, Sendable {
  public var base: UInt32
  public var usrOffset: UInt32
  public var usr1Offset: UInt32
  public var usr2Offset: UInt32
  public var mosiDataLengthOffset: UInt32?
  public var misoDataLengthOffset: UInt32?
  public var w0Offset: UInt32

  public var cmd: UInt32 { base }
  public var addr: UInt32 { base + 4 }
  public var usr: UInt32 { base + usrOffset }
  public var usr1: UInt32 { base + usr1Offset }
  public var usr2: UInt32 { base + usr2Offset }
  public var mosiDataLength: UInt32? { mosiDataLengthOffset.map { base + $0 } }
  public var misoDataLength: UInt32? { misoDataLengthOffset.map { base + $0 } }
  public var w0: UInt32 { base + w0Offset }
}
