/// Commands and replies over one transport: SLIP framing, reply matching, status checks and timeouts
/// (`rom-protocol.md` §1). Knows nothing about chips; the `Flasher` builds on it.
public final class LoaderConnection {
  public let transport: any Transport
  private var decoder = SLIPDecoder()
  /// The last bytes seen outside frames (boot log, panic text), kept for error messages.
  public private(set) var recentNoise: [UInt8] = []
  /// Called with a line per packet when tracing is on.
  public var trace: ((String) -> Void)?
  /// Whether a stub answers (set by the `Flasher`), so failure statuses are decoded the stub's way.
  public var repliesFromStub: Bool?
  /// esptool gives up looking for the matching reply after this many other packets (§1.3).
  public static let maxSkippedPackets = 100

  /// Where timeouts are measured (injectable so tests of timeouts do not wait).
  public let clock: any LoaderClock

  public init(transport: any Transport, clock: any LoaderClock = SystemClock.shared) {
    self.transport = transport
    self.clock = clock
  }

  /// Sends one command frame.
  public func send(_ command: Command) throws(LoaderError) {
    trace?("> \(command.opcode) len=\(command.body.count)")
    try writeFrame(command.packet, during: command.opcode.description)
  }

  /// SLIP-frames and sends raw bytes (the READ_FLASH acknowledgements are bare frames).
  public func writeFrame(_ payload: [UInt8], during: String) throws(LoaderError) {
    do { try transport.write(SLIP.encode(payload)) } catch { throw .transport(error, during: during) }
  }

  /// The next decoded frame, or nil when none completes within `timeout` seconds.
  public func readFrame(timeout: Double, during: String) throws(LoaderError) -> [UInt8]? {
    let deadline = clock.now() + timeout
    while true {
      while let event = decoder.next() {
        switch event {
        case .frame(let frame): return frame
        case .noise(let bytes):
          recentNoise = Array((recentNoise + bytes).suffix(2048))
          trace?("< noise \(bytes.count) B")
        }
      }
      let remaining = deadline - clock.now()
      if remaining <= 0 { return nil }
      let chunk: [UInt8]
      do { chunk = try transport.read(maxCount: 0x4000, timeout: remaining) } catch {
        throw .transport(error, during: during)
      }
      // A transport returns nothing only once the whole timeout has passed (or, for the in-process virtual
      // board, when nothing can arrive before the host writes again): either way the frame is not coming.
      if chunk.isEmpty { return nil }
      decoder.append(chunk)
    }
  }

  /// Sends `command` and waits for its reply: skips replies to other opcodes (extra SYNC answers), checks the
  /// status right after `expectedDataLength` bytes, and throws with `context` in the message on failure.
  @discardableResult
  public func command(_ command: Command, timeout: Double = 3, expectedDataLength: Int = 0,
                      context: @autoclosure () -> String? = nil) throws(LoaderError) -> Response {
    try send(command)
    return try awaitReply(to: command.opcode, timeout: timeout, expectedDataLength: expectedDataLength,
                          context: context())
  }

  /// Waits for the reply to `opcode` (see `command`).
  public func awaitReply(to opcode: Opcode, timeout: Double, expectedDataLength: Int = 0,
                         context: String?, checkStatus: Bool = true) throws(LoaderError) -> Response {
    let deadline = clock.now() + timeout
    var skipped = 0
    while skipped <= Self.maxSkippedPackets {
      let remaining = deadline - clock.now()
      guard remaining > 0,
            let frame = try readFrame(timeout: remaining, during: opcode.description) else { break }
      guard let reply = Response(frame: frame), reply.opcode == opcode.rawValue else {
        skipped += 1
        continue
      }
      trace?("< \(opcode) size=\(reply.size) value=\(hexAddress(reply.value)) data=\(reply.data.count) B")
      if !checkStatus { return reply }
      guard let status = reply.status(expectedDataLength: expectedDataLength) else {
        throw .malformedReply(command: opcode.description, reason: "\(reply.data.count)-byte reply has no status bytes")
      }
      if status.first != 0 {
        throw .deviceRejected(command: opcode.description, context: context,
                              status: DeviceStatus(first: status.first, second: status.second,
                                                   fromStub: repliesFromStub))
      }
      return reply
    }
    throw .timeout(command: opcode.description, context: context, seconds: timeout)
  }

  /// Drops buffered input, in the decoder and in the OS.
  public func discardInput() throws(LoaderError) {
    decoder.reset()
    do { try transport.discardInput() } catch { throw .transport(error, during: "flushing input") }
  }

  /// Reads and discards whatever arrives within `seconds`, collecting it as boot-log noise.
  public func drain(for seconds: Double) {
    let deadline = clock.now() + seconds
    while clock.now() < deadline {
      guard let bytes = try? transport.read(maxCount: 4096, timeout: deadline - clock.now()),
            !bytes.isEmpty else { break }
      recentNoise = Array((recentNoise + bytes).suffix(2048))
    }
    decoder.reset()
  }

  /// Printable text of the recent noise, for "boot log" hints.
  public var recentNoiseText: String? {
    guard !recentNoise.isEmpty else { return nil }
    let text = String(decoding: recentNoise.map { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A ? $0 : 0x2E }, as: UTF8.self)
    return text
  }
}
