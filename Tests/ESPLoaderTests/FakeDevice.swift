import Crypto
@testable import ESPLoader

/// A scripted stand-in for a board: decodes the host's frames and answers from a few canned rules (ROM or stub
/// status layout, registers, a flash array). Tests override `hook` to drop, corrupt or replace replies.
final class FakeDevice: Transport {
  enum Mode { case rom, stub }
  let chip: Chip
  var mode: Mode = .rom
  var name = "fake://board"
  var baudRate = 115200
  var supportsControlLines = false
  var flash: [UInt8]
  var jedec: UInt32 = 0x16_4020
  var registers: [UInt32: UInt32] = [:]
  /// Frames the host sent, decoded.
  private(set) var received: [[UInt8]] = []
  /// Host→device wire bytes.
  private(set) var wireBytesIn = 0
  private var inbox: [UInt8] = []
  private var decoder = SLIPDecoder()
  /// Called before the default rule; return true when it handled (or swallowed) the frame.
  var hook: ((FakeDevice, _ opcode: UInt8, _ body: [UInt8], _ seen: Int) -> Bool)?
  /// How many frames of each opcode arrived.
  private(set) var counts: [UInt8: Int] = [:]
  private var writeRegion: (offset: Int, next: Int, compressed: Bool, stream: [UInt8], size: Int)?
  var readAck: (offset: Int, length: Int, sent: Int)?
  var md5Override: [UInt8]?

  init(chip: Chip, flashSize: Int = 4 << 20) {
    self.chip = chip
    flash = [UInt8](repeating: 0xFF, count: flashSize)
    switch chip {
    case .esp8266:
      registers[0x4000_1000] = 0xFFF0_C101
      registers[0x3FF0_0050] = 0xC100_0000
      registers[0x3FF0_0054] = 0x0000_CE2B
      registers[0x3FF0_005C] = 0x0024_0AC4
      registers[0x6000_0014] = 0x1C3
    case .esp32:
      registers[0x4000_1000] = 0x00F0_1D83
      registers[0x3FF5_A004] = 0x0A1B_2C3D
      registers[0x3FF5_A008] = 0x0000_30AE
      registers[0x3FF4_0014] = 0x2B6
    default:
      break
    }
  }

  var statusLength: Int { mode == .stub ? 2 : chip.romStatusLength }
  func count(_ op: Opcode) -> Int { counts[op.rawValue, default: 0] }
  func sentCommands() -> [UInt8] { received.filter { $0.count >= 8 && $0[0] == 0 }.map { $0[1] } }

  // MARK: Transport

  /// When set, writes fail as if the cable were pulled once this many frames have arrived.
  var unplugAfterFrames: Int?

  func write(_ bytes: [UInt8]) throws(TransportError) {
    if let limit = unplugAfterFrames, received.count >= limit { throw .disconnected(name: name) }
    wireBytesIn += bytes.count
    decoder.append(bytes)
    while let frame = decoder.nextFrame() {
      received.append(frame)
      handle(frame)
    }
  }

  func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8] {
    if inbox.isEmpty {
      Monotonic.sleep(min(timeout, 0.005))
      return []
    }
    let n = min(maxCount, inbox.count)
    defer { inbox.removeFirst(n) }
    return Array(inbox.prefix(n))
  }

  func discardInput() throws(TransportError) { inbox.removeAll() }
  func setBaudRate(_ baud: Int) throws(TransportError) { baudRate = baud }
  func setControlLines(dtr: Bool?, rts: Bool?) throws(TransportError) {
    throw .controlLinesUnsupported(name: name)
  }
  func close() {}

  // MARK: replies

  func sendFrame(_ payload: [UInt8]) { inbox += SLIP.encode(payload) }

  func reply(_ op: UInt8, value: UInt32 = 0, data: [UInt8] = [], error: UInt8? = nil) {
    var status = [UInt8](repeating: 0, count: statusLength)
    if let error {
      if mode == .stub { status[0] = error } else { status[0] = 1; status[1] = error }
    }
    let body = data + status
    sendFrame([1, op, UInt8(body.count & 0xFF), UInt8(body.count >> 8)] + Command.words([value]) + body)
  }

  private func word(_ b: [UInt8], _ i: Int) -> UInt32 {
    guard b.count >= i * 4 + 4 else { return 0 }
    return UInt32(b[i * 4]) | UInt32(b[i * 4 + 1]) << 8 | UInt32(b[i * 4 + 2]) << 16 | UInt32(b[i * 4 + 3]) << 24
  }

  private func handle(_ frame: [UInt8]) {
    if readAck != nil { return handleAck(frame) }
    guard frame.count >= 8, frame[0] == 0 else { return }
    let op = frame[1]
    let body = Array(frame[8...])
    counts[op, default: 0] += 1
    if let hook, hook(self, op, body, counts[op]!) { return }
    guard let opcode = Opcode(rawValue: op) else { return reply(op, error: mode == .stub ? 0xFF : 0x05) }
    switch opcode {
    case .sync:
      for _ in 0..<8 { reply(op, value: mode == .stub ? 0 : 0x2012_0707) }
    case .getSecurityInfo:
      reply(op, error: mode == .stub ? 0xFF : 0x05)
    case .readReg:
      reply(op, value: registers[word(body, 0)] ?? 0)
    case .writeReg:
      let addr = word(body, 0), value = word(body, 1)
      registers[addr] = value
      let spi = chip.spiRegisters
      if addr == spi.cmd, value & (1 << 18) != 0 {
        registers[spi.cmd] = 0
        if (registers[spi.usr2] ?? 0) & 0xFF == 0x9F { registers[spi.w0] = jedec }
      }
      reply(op)
    case .spiAttach, .spiSetParams, .changeBaudrate:
      reply(op)
    case .memBegin, .memData:
      reply(op)
    case .memEnd:
      reply(op)
      if word(body, 1) != 0 { mode = .stub; sendFrame(Array("OHAI".utf8)) }
    case .flashBegin, .flashDeflBegin:
      let size = Int(word(body, 0)), offset = Int(word(body, 3))
      writeRegion = (offset, offset, opcode == .flashDeflBegin, [], size)
      reply(op)
    case .flashData, .flashDeflData:
      let payload = Array(body.dropFirst(16))
      guard Command.checksum(payload) == frame[4] else { return reply(op, error: mode == .stub ? 0xC1 : 0x07) }
      if var region = writeRegion {
        if region.compressed {
          region.stream += payload
          if let plain = Deflate.decompress(region.stream) {
            flash.replaceSubrange(region.offset..<(region.offset + plain.count), with: plain)
          }
        } else {
          let end = min(flash.count, region.next + payload.count)
          flash.replaceSubrange(region.next..<end, with: payload.prefix(end - region.next))
          region.next = end
        }
        writeRegion = region
      }
      reply(op)
    case .flashEnd, .flashDeflEnd:
      reply(op)
    case .spiFlashMD5:
      let offset = Int(word(body, 0)), size = Int(word(body, 1))
      let digest = md5Override ?? Array(Insecure.MD5.hash(data: flash[offset..<(offset + size)]))
      if mode == .stub {
        reply(op, data: digest)
      } else {
        reply(op, data: Array(digest.map { hex($0).lowercased() }.joined().utf8))
      }
    case .readFlashSlow:
      let offset = Int(word(body, 0))
      reply(op, data: Array(flash[offset..<(offset + 64)]))
    case .readFlash:
      let offset = Int(word(body, 0)), length = Int(word(body, 1))
      reply(op)
      readAck = (offset, length, 0)
      sendNextReadPacket()
    case .eraseRegion:
      let offset = Int(word(body, 0)), size = Int(word(body, 1))
      flash.replaceSubrange(offset..<(offset + size), with: [UInt8](repeating: 0xFF, count: size))
      reply(op)
    case .eraseFlash:
      flash = [UInt8](repeating: 0xFF, count: flash.count)
      reply(op)
    case .runUserCode:
      break
    }
  }

  private func sendNextReadPacket() {
    guard let state = readAck else { return }
    if state.sent >= state.length {
      sendFrame(md5Override ?? Array(Insecure.MD5.hash(data: flash[state.offset..<(state.offset + state.length)])))
      readAck = nil
      return
    }
    let n = min(0x1000, state.length - state.sent)
    let start = state.offset + state.sent
    sendFrame(Array(flash[start..<(start + n)]))
    readAck = (state.offset, state.length, state.sent + n)
  }

  private func handleAck(_ frame: [UInt8]) {
    guard frame.count == 4, let state = readAck, Int(word(frame, 0)) == state.sent else { return }
    sendNextReadPacket()
  }
}
