/// SLIP framing as the Espressif loaders use it (`rom-protocol.md` §1.1): every packet is `C0 … C0`, with
/// `C0 → DB DC` and `DB → DB DD` inside. No CRC at this layer.
public enum SLIP {
  public static let end: UInt8 = 0xC0
  public static let escape: UInt8 = 0xDB
  public static let escapedEnd: UInt8 = 0xDC
  public static let escapedEscape: UInt8 = 0xDD

  /// One whole frame, delimiters included.
  public static func encode(_ payload: some Sequence<UInt8>) -> [UInt8] {
    var out: [UInt8] = [end]
    out.reserveCapacity(payload.underestimatedCount + payload.underestimatedCount / 32 + 2)
    for byte in payload {
      switch byte {
      case end: out.append(escape); out.append(escapedEnd)
      case escape: out.append(escape); out.append(escapedEscape)
      default: out.append(byte)
      }
    }
    out.append(end)
    return out
  }
}

/// What the stream decoder produced from the bytes it was fed.
public enum SLIPEvent: Equatable, Sendable {
  /// A complete frame's payload (possibly empty frames are dropped, not reported).
  case frame([UInt8])
  /// Bytes seen outside any frame: boot log, panic text, line noise.
  case noise([UInt8])
}

/// A streaming SLIP decoder: feed it bytes as they arrive, split anywhere, and take out whole frames.
///
/// Consecutive `C0`s are empty delimiters. Bytes outside a frame are collected as noise so the caller can
/// look for "Guru Meditation" or a ROM banner. A bad escape (`DB` followed by anything but `DC`/`DD`) is
/// kept as the raw byte, as the ROM does, and counted in `protocolErrors`.
public struct SLIPDecoder: Sendable {
  private var inFrame = false
  private var escaping = false
  private var current: [UInt8] = []
  private var noise: [UInt8] = []
  private var ready: [SLIPEvent] = []
  private var readyHead = 0
  /// Longest frame kept before it is discarded as garbage (a lost `C0` must not grow memory forever).
  public let maxFrameLength: Int
  /// Escape errors and overlong frames seen so far.
  public private(set) var protocolErrors = 0

  public init(maxFrameLength: Int = 0x1_0000 + 64) {
    self.maxFrameLength = maxFrameLength
  }

  /// Feeds received bytes.
  public mutating func append(_ bytes: some Sequence<UInt8>) {
    for byte in bytes { push(byte) }
  }

  /// The next decoded event, or nil when more bytes are needed.
  public mutating func next() -> SLIPEvent? {
    if readyHead == ready.count, !noise.isEmpty, !inFrame {
      defer { noise.removeAll(keepingCapacity: true) }
      return .noise(noise)
    }
    guard readyHead < ready.count else { return nil }
    let event = ready[readyHead]
    readyHead += 1
    if readyHead == ready.count {
      ready.removeAll(keepingCapacity: true)
      readyHead = 0
    }
    return event
  }

  /// The next complete frame, skipping noise.
  public mutating func nextFrame() -> [UInt8]? {
    while let event = next() {
      if case .frame(let frame) = event { return frame }
    }
    return nil
  }

  /// True while a frame has started but not ended.
  public var isInsideFrame: Bool { inFrame }

  /// Drops everything buffered (after a baud change or a reset).
  public mutating func reset() {
    inFrame = false
    escaping = false
    current.removeAll(keepingCapacity: true)
    noise.removeAll(keepingCapacity: true)
    ready.removeAll(keepingCapacity: true)
    readyHead = 0
  }

  private mutating func push(_ byte: UInt8) {
    guard inFrame else {
      if byte == SLIP.end {
        if !noise.isEmpty {
          ready.append(.noise(noise))
          noise.removeAll(keepingCapacity: true)
        }
        inFrame = true
        current.removeAll(keepingCapacity: true)
      } else if noise.count < 4096 {
        noise.append(byte)
      }
      return
    }
    if byte == SLIP.end {
      if escaping { protocolErrors += 1; escaping = false }
      if !current.isEmpty {
        ready.append(.frame(current))
        current.removeAll(keepingCapacity: true)
        inFrame = false
      }
      // An empty frame is just a delimiter between back-to-back frames: stay inside.
      return
    }
    if escaping {
      escaping = false
      switch byte {
      case SLIP.escapedEnd: current.append(SLIP.end)
      case SLIP.escapedEscape: current.append(SLIP.escape)
      default: protocolErrors += 1; current.append(byte)
      }
    } else if byte == SLIP.escape {
      escaping = true
      return
    } else {
      current.append(byte)
    }
    if current.count > maxFrameLength {
      protocolErrors += 1
      current.removeAll(keepingCapacity: true)
      inFrame = false
    }
  }
}
