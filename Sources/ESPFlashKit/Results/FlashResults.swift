import ESPLoader
import ESPTransport

/// One file written by `write-flash`.
public struct FlashWriteEntry: Codable, Sendable, Equatable {
  public var file: String
  /// `0x300000`.
  public var address: String
  public var size: Int
  public var seconds: Double
  public var compressedSize: Int?
  public var verified: Bool
  public var md5: String?
  public var notVerifiedReason: String?
}

/// One region compared by `verify-flash`.
public struct FlashVerifyEntry: Codable, Sendable, Equatable {
  public var file: String
  public var address: String
  public var size: Int
  public var verified: Bool
  public var flashMD5: String
  public var fileMD5: String
}

/// What `board-info` reports.
public struct BoardInfoReport: Codable, Sendable, Equatable {
  public var chip: String
  public var chipName: String
  public var loader: String
  public var mac: String
  public var flashId: String
  public var flashManufacturer: String
  public var flashDevice: String
  public var crystalMHz: Int?
  public var flashSize: Int?

  public init(_ info: BoardInfo) {
    chip = info.chip.rawValue
    chipName = info.chip.description
    loader = info.loader
    mac = info.macString
    flashId = Hex.json(info.flashID)
    flashManufacturer = Hex.json(info.manufacturer)
    flashDevice = Hex.json(info.device)
    crystalMHz = info.crystalMHz
    flashSize = info.flashSize
  }
}

/// One serial port the system offers (`ports --json`).
public struct PortReport: Codable, Sendable, Equatable {
  public var path: String
  public var byId: [String]
  public var vid: String?
  public var pid: String?
  public var bridge: String?
  public var product: String?
  public var manufacturer: String?
  public var serial: String?

  public init(_ port: SerialPortInfo) {
    path = port.path
    byId = port.byID
    vid = port.vendorID.map { Self.fourDigits($0) }
    pid = port.productID.map { Self.fourDigits($0) }
    bridge = port.bridge
    product = port.product
    manufacturer = port.manufacturer
    serial = port.serialNumber
  }

  /// `10c4`: a USB id as four lower-case hex digits.
  public static func fourDigits(_ id: UInt16) -> String { String(Hex.padded(id, digits: 4).dropFirst(2)) }
}
