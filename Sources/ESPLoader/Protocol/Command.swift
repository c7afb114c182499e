/// A loader command with its arguments, and the exact bytes esptool puts on the wire for it
/// (`rom-protocol.md` §1.2 and §2). Encoders are pure so they can be checked against the captures in
/// `testdata/esptool-traffic`.
public enum Command: Sendable, Equatable {
  /// FLASH_BEGIN. `encrypt` is the fifth word that S2+ ROMs and stubs take; nil sends the 16-byte form.
  case flashBegin(eraseSize: UInt32, blocks: UInt32, blockSize: UInt32, offset: UInt32, encrypt: UInt32?)
  case flashData(sequence: UInt32, payload: [UInt8])
  /// FLASH_END: `runUserCode` true sends flag 1 (ROM: run the app; stub: stay in the loader).
  case flashEnd(runUserCode: Bool)
  case memBegin(totalSize: UInt32, blocks: UInt32, blockSize: UInt32, address: UInt32)
  /// MEM_END: `no_entry` is 1 when the entry point is 0 (§2).
  case memEnd(entry: UInt32)
  case memData(sequence: UInt32, payload: [UInt8])
  case sync
  case writeReg([RegisterWrite])
  case readReg(address: UInt32)
  case spiSetParams(totalSize: UInt32)
  /// SPI_ATTACH: the ROM wants a second, zero word (`is_legacy`); a stub takes the config word only.
  case spiAttach(config: UInt32, romForm: Bool)
  case readFlashSlow(offset: UInt32, length: UInt32)
  /// CHANGE_BAUDRATE: the ROM wants `old = 0`, a stub the current host rate (§2).
  case changeBaudrate(new: UInt32, old: UInt32)
  case flashDeflBegin(size: UInt32, blocks: UInt32, blockSize: UInt32, offset: UInt32, encrypt: UInt32?)
  case flashDeflData(sequence: UInt32, payload: [UInt8])
  case flashDeflEnd(runUserCode: Bool)
  case spiFlashMD5(offset: UInt32, size: UInt32)
  case getSecurityInfo
  case eraseFlash
  case eraseRegion(offset: UInt32, size: UInt32)
  case readFlash(offset: UInt32, length: UInt32, packetSize: UInt32, maxUnacked: UInt32)
  case runUserCode

  /// One 16-byte WRITE_REG tuple.
  public struct RegisterWrite: Sendable, Equatable {
    public var address: UInt32
    public var value: UInt32
    public var mask: UInt32
    public var delayMicroseconds: UInt32
    public init(address: UInt32, value: UInt32, mask: UInt32 = 0xFFFF_FFFF, delayMicroseconds: UInt32 = 0) {
      self.address = address
      self.value = value
      self.mask = mask
      self.delayMicroseconds = delayMicroseconds
    }
  }

  /// The 36-byte SYNC body: `07 07 12 20` and 32 × `55`, the run the ROM autobauds from.
  public static let syncPayload: [UInt8] = [0x07, 0x07, 0x12, 0x20] + [UInt8](repeating: 0x55, count: 32)

  /// The checksum seed for *_DATA payloads (§1.2).
  public static let checksumSeed: UInt8 = 0xEF

  public var opcode: Opcode {
    switch self {
    case .flashBegin: .flashBegin
    case .flashData: .flashData
    case .flashEnd: .flashEnd
    case .memBegin: .memBegin
    case .memEnd: .memEnd
    case .memData: .memData
    case .sync: .sync
    case .writeReg: .writeReg
    case .readReg: .readReg
    case .spiSetParams: .spiSetParams
    case .spiAttach: .spiAttach
    case .readFlashSlow: .readFlashSlow
    case .changeBaudrate: .changeBaudrate
    case .flashDeflBegin: .flashDeflBegin
    case .flashDeflData: .flashDeflData
    case .flashDeflEnd: .flashDeflEnd
    case .spiFlashMD5: .spiFlashMD5
    case .getSecurityInfo: .getSecurityInfo
    case .eraseFlash: .eraseFlash
    case .eraseRegion: .eraseRegion
    case .readFlash: .readFlash
    case .runUserCode: .runUserCode
    }
  }

  /// XOR of the payload bytes seeded with 0xEF; the 16-byte sub-header is not included.
  public static func checksum(_ payload: [UInt8]) -> UInt8 {
    payload.reduce(checksumSeed, ^)
  }

  /// The data field (after the 8-byte header).
  public var body: [UInt8] {
    switch self {
    case .flashBegin(let e, let n, let b, let o, let enc), .flashDeflBegin(let e, let n, let b, let o, let enc):
      var words = [e, n, b, o]
      if let enc { words.append(enc) }
      return Self.words(words)
    case .flashData(let seq, let p), .memData(let seq, let p), .flashDeflData(let seq, let p):
      return Self.words([UInt32(p.count), seq, 0, 0]) + p
    case .flashEnd(let run), .flashDeflEnd(let run):
      return Self.words([run ? 1 : 0])
    case .memBegin(let size, let n, let b, let addr):
      return Self.words([size, n, b, addr])
    case .memEnd(let entry):
      return Self.words([entry == 0 ? 1 : 0, entry])
    case .sync:
      return Self.syncPayload
    case .writeReg(let writes):
      return Self.words(writes.flatMap { [$0.address, $0.value, $0.mask, $0.delayMicroseconds] })
    case .readReg(let address):
      return Self.words([address])
    case .spiSetParams(let total):
      // id, total_size, block 64 KiB, sector 4 KiB, page 256, status mask (§2, esptool flash_set_parameters).
      return Self.words([0, total, 0x1_0000, 0x1000, 0x100, 0xFFFF])
    case .spiAttach(let config, let rom):
      return Self.words(rom ? [config, 0] : [config])
    case .readFlashSlow(let offset, let length):
      return Self.words([offset, length])
    case .changeBaudrate(let new, let old):
      return Self.words([new, old])
    case .spiFlashMD5(let offset, let size):
      return Self.words([offset, size, 0, 0])
    case .getSecurityInfo, .eraseFlash, .runUserCode:
      return []
    case .eraseRegion(let offset, let size):
      return Self.words([offset, size])
    case .readFlash(let offset, let length, let packet, let unacked):
      return Self.words([offset, length, packet, unacked])
    }
  }

  /// The header checksum word: meaningful only for the three *_DATA commands.
  public var checksumWord: UInt32 {
    switch self {
    case .flashData(_, let p), .memData(_, let p), .flashDeflData(_, let p): UInt32(Self.checksum(p))
    default: 0
    }
  }

  /// The unframed packet: direction 0, opcode, LE16 length, LE32 checksum, body.
  public var packet: [UInt8] {
    let body = body
    var out: [UInt8] = [0x00, opcode.rawValue, UInt8(body.count & 0xFF), UInt8((body.count >> 8) & 0xFF)]
    out += Self.words([checksumWord])
    out += body
    return out
  }

  /// The packet as it goes on the wire, SLIP-framed.
  public var frame: [UInt8] { SLIP.encode(packet) }

  static func words(_ values: [UInt32]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(values.count * 4)
    for v in values { out += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
    return out
  }
}
