import DeviceSimulator
import ESPLoader

/// A tiny request encoder of the tests' own (the client's encoders are not used, so one misunderstanding
/// cannot hide on both sides) and a harness that drives a `VirtualBoard` frame by frame.
enum SimWire {
  static func u32(_ values: UInt32...) -> [UInt8] {
    values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8 & 0xFF), UInt8($0 >> 16 & 0xFF), UInt8($0 >> 24)] }
  }

  static func readU32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
  }

  /// SLIP by hand: C0 … C0 with DB DC / DB DD escapes.
  static func slip(_ payload: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0xC0]
    for byte in payload {
      if byte == 0xC0 { out += [0xDB, 0xDC] } else if byte == 0xDB { out += [0xDB, 0xDD] } else { out.append(byte) }
    }
    return out + [0xC0]
  }

  static func checksum(_ payload: [UInt8]) -> UInt32 {
    UInt32(payload.reduce(UInt8(0xEF)) { $0 ^ $1 })
  }

  /// `00 op size checksum data`, SLIP-framed.
  static func request(_ opcode: UInt8, _ data: [UInt8] = [], checksum: UInt32 = 0) -> [UInt8] {
    let header: [UInt8] = [0x00, opcode, UInt8(data.count & 0xFF), UInt8(data.count >> 8)]
    return slip(header + u32(checksum) + data)
  }

  /// A *_DATA request: sub-header `len, seq, 0, 0` + payload, checksum over the payload.
  static func dataBlock(_ opcode: UInt8, _ payload: [UInt8], seq: UInt32, checksum: UInt32? = nil) -> [UInt8] {
    request(opcode, u32(UInt32(payload.count), seq, 0, 0) + payload, checksum: checksum ?? self.checksum(payload))
  }

  static let syncData: [UInt8] = [0x07, 0x07, 0x12, 0x20] + [UInt8](repeating: 0x55, count: 32)
}

/// One decoded reply.
struct SimReply: Equatable {
  var opcode: UInt8
  var value: UInt32
  var data: [UInt8]  // everything after the 8-byte header, status included

  init?(_ frame: [UInt8]) {
    guard frame.count >= 8, frame[0] == 0x01 else { return nil }
    opcode = frame[1]
    value = SimWire.readU32(frame, 4)
    data = Array(frame[8...])
  }

  /// The last `count` bytes.
  func status(_ count: Int) -> [UInt8] { Array(data.suffix(count)) }
}

final class SimHarness {
  let board: VirtualBoard
  private var decoder = SLIPDecoder()
  private(set) var noise: [UInt8] = []

  init(_ chip: Chip, flashSize: Int = 4 << 20, flash: NORFlash? = nil, bootLog: Bool = false) {
    var configuration = BoardConfiguration(chip: chip, flashSize: flashSize)
    configuration.bootLog = bootLog
    board = VirtualBoard(configuration: configuration, flash: flash)
  }

  /// Sends raw wire bytes and returns the frames that came back (noise is kept in `noise`).
  @discardableResult
  func exchange(_ wire: [UInt8]) -> [[UInt8]] {
    board.receive(wire, hostBaud: nil)
    decoder.append(board.takeOutput(hostBaud: nil))
    var frames: [[UInt8]] = []
    while let event = decoder.next() {
      switch event {
      case .frame(let frame): frames.append(frame)
      case .noise(let bytes): noise += bytes
      }
    }
    return frames
  }

  /// Sends one request and returns its replies.
  func command(_ opcode: UInt8, _ data: [UInt8] = [], checksum: UInt32 = 0) -> [SimReply] {
    exchange(SimWire.request(opcode, data, checksum: checksum)).compactMap(SimReply.init)
  }

  func sync() -> [SimReply] { command(0x08, SimWire.syncData) }

  /// Uploads `code` at `address` with MEM_BEGIN/DATA and ends with MEM_END(entry); returns MEM_END's frames.
  func upload(code: [UInt8], at address: UInt32, entry: UInt32) -> [[UInt8]] {
    let block = 0x1800
    let blocks = (code.count + block - 1) / block
    _ = command(0x05, SimWire.u32(UInt32(code.count), UInt32(blocks), UInt32(block), address))
    for seq in 0..<blocks {
      let chunk = Array(code[(seq * block)..<min(code.count, (seq + 1) * block)])
      _ = exchange(SimWire.dataBlock(0x07, chunk, seq: UInt32(seq)))
    }
    return exchange(SimWire.request(0x06, SimWire.u32(0, entry)))
  }

  /// Puts the board into stub mode with a fake "stub" of 64 bytes.
  func enterStub() {
    let address: UInt32 = board.chip == .esp8266 ? 0x4010_C500 : 0x400A_8000
    _ = upload(code: [UInt8](repeating: 0x55, count: 64), at: address, entry: address + 4)
  }
}

/// esptool's `ESP8266ROM.get_erase_size` (rom-protocol.md §5.3), written out here to drive the board.
func esptoolESP8266EraseSize(offset: UInt32, size: UInt32) -> UInt32 {
  let sectorSize: UInt32 = 4096
  let sectorsPerBlock: UInt32 = 16
  let numSectors = (size + sectorSize - 1) / sectorSize
  let startSector = offset / sectorSize
  var headSectors = sectorsPerBlock - (startSector % sectorsPerBlock)
  if numSectors < headSectors { headSectors = numSectors }
  if numSectors < 2 * headSectors {
    return (numSectors + 1) / 2 * sectorSize
  }
  return (numSectors - headSectors) * sectorSize
}
