import ESPLoader

/// What the virtual board is made of: the chip, the flash part, the crystal and the factory MAC.
public struct BoardConfiguration: Sendable {
  public var chip: Chip
  /// Physical flash size in bytes (1 MiB … 16 MiB).
  public var flashSize: Int
  /// The RDID answer as W0 holds it: manufacturer | type << 8 | capacity << 16 (Winbond W25Q by default,
  /// e.g. 0x1640EF for 4 MiB).
  public var jedecID: UInt32
  /// Crystal in MHz (26 or 40). ESP8266 modules mostly use 26 MHz, which is why the ROM prints its boot log
  /// at 74880 baud (`rom-protocol.md` §3.3).
  public var crystalMHz: Int
  /// Factory MAC, stored in the efuse words the way each chip's ROM keeps it (§4.2).
  public var mac: [UInt8]
  /// Whether a reset into the ROM prints the boot banner before the loader listens.
  public var bootLog: Bool
  /// Seed for garbled bytes and random faults.
  public var seed: UInt64
  public var timing: FlashTiming
  /// The host talks to the chip's own USB-Serial/JTAG: its RTC and super watchdogs stay armed in download
  /// mode and reset the chip mid-write unless the client disables them (esptool `disable_watchdogs`).
  public var usbSerialJTAG = false
  /// The host talks to the ROM's USB-OTG CDC (S2, S3): MEM_DATA blocks above 0x800 do not fit its buffer.
  public var usbOTG = false
  /// Secure Download Mode: the ROM refuses register access, RAM uploads, MD5 and reads.
  public var secureDownloadMode = false
  /// Secure Boot enabled (reported by GET_SECURITY_INFO).
  public var secureBoot = false
  /// An XMC flash that failed to wake up: RDID reads all ones until the wake-up sequence (0xAB).
  public var xmcBootFailure = false
  /// No flash answers on the SPI bus at all (broken, unpowered): RDID reads all ones.
  public var flashMissing = false
  /// ESP32 in-package flash on other pins (PICO-D4, D2WD): the efuse pad configuration, packed as
  /// SPI_ATTACH takes it; the flash is reachable only when SPI_ATTACH names these pins. 0 = default pins.
  public var spiPadConfiguration: UInt32 = 0

  public init(chip: Chip, flashSize: Int = 4 << 20, crystalMHz: Int? = nil, mac: [UInt8]? = nil,
              bootLog: Bool = true, seed: UInt64 = 0x5EED) {
    self.chip = chip
    self.flashSize = flashSize
    self.jedecID = BoardConfiguration.winbondJEDEC(flashSize: flashSize)
    self.crystalMHz = crystalMHz ?? (chip == .esp8266 ? 26 : 40)
    self.mac = mac ?? (chip == .esp8266 ? [0x24, 0x0A, 0xC4, 0x5E, 0x1F, 0x0A] : [0x24, 0x0A, 0xC4, 0x5E, 0x32, 0x0B])
    self.bootLog = bootLog
    self.seed = seed
    self.timing = FlashTiming()
  }

  /// Flash sizes a board can be built with.
  public static let supportedFlashSizes = [1 << 20, 2 << 20, 4 << 20, 8 << 20, 16 << 20]

  /// Winbond W25Q-family id for a size: EF 40 xx with xx = log2(size) (§4.3 size table: 0x14 = 1 MB …).
  public static func winbondJEDEC(flashSize: Int) -> UInt32 {
    var capacity: UInt32 = 0
    var size = flashSize
    while size > 1 { size >>= 1; capacity += 1 }
    return 0xEF | 0x40 << 8 | capacity << 16
  }

  /// Parses "4MB", "4M", "16mb", "1048576", "0x400000" into bytes; nil when not a supported size.
  public static func parseFlashSize(_ text: String) -> Int? {
    let lower = text.lowercased().trimmingCharacters(in: " ")
    var value: Int?
    if lower.hasSuffix("mb") || lower.hasSuffix("m") {
      let digits = lower.hasSuffix("mb") ? lower.dropLast(2) : lower.dropLast(1)
      value = Int(digits).map { $0 << 20 }
    } else if lower.hasPrefix("0x") {
      value = Int(lower.dropFirst(2), radix: 16)
    } else {
      value = Int(lower)
    }
    guard let bytes = value, supportedFlashSizes.contains(bytes) else { return nil }
    return bytes
  }
}

extension String {
  fileprivate func trimmingCharacters(in set: Character) -> String {
    var text = Substring(self)
    while text.first == set { text = text.dropFirst() }
    while text.last == set { text = text.dropLast() }
    return String(text)
  }
}
