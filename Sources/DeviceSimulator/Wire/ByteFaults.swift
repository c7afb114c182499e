/// Byte-level faults on the wire between a host and a board, counted in bytes from the start of the link:
/// what a bad cable, a USB hiccup or a crashing board does. Used by `FaultInjectingTransport` (in-process
/// tests) and by `simulate --fault SPEC` (other programs' CI). Each fault fires once.
public struct ByteFault: Sendable, Hashable, CustomStringConvertible {
  public enum Direction: String, Sendable, Hashable {
    case hostToDevice = "h2d"
    case deviceToHost = "d2h"
  }

  public enum Action: Sendable, Hashable {
    /// The byte is lost.
    case drop
    /// The byte arrives with these bits flipped.
    case flip(UInt8)
    /// From this byte on, nothing arrives until the host has waited this many seconds (then it all does).
    case stall(seconds: Double)
    /// The link closes before this byte (a socket closed, a USB port that vanished).
    case close
    /// The chip resets as this byte arrives (host→device; a brown-out or a watchdog mid-write).
    case reset
  }

  public var direction: Direction
  public var atByte: Int
  public var action: Action

  public init(_ direction: Direction, atByte: Int, _ action: Action) {
    self.direction = direction
    self.atByte = atByte
    self.action = action
  }

  public var description: String {
    let verb: String = switch action {
    case .drop: "drop"
    case .flip(let mask): mask == 0x01 ? "flip" : "flip=0x\(String(mask, radix: 16))"
    case .stall: "stall"
    case .close: "close"
    case .reset: "reset"
    }
    var text = "\(direction.rawValue):\(verb)@\(atByte)"
    if case .stall(let s) = action { text += ":\(s == s.rounded() ? String(Int(s)) : String(s))" }
    return text
  }

  /// Parses `[h2d:|d2h:]ACTION@N[:SECONDS]`: `flip@5000`, `h2d:drop@20000`, `stall@3000:6`, `close@40000`,
  /// `reset@30000`. Without a direction, drop/flip/stall act on replies (d2h), close/reset on requests (h2d).
  public init?(spec: String) {
    var text = Substring(spec.lowercased())
    var direction: Direction?
    for candidate in [Direction.hostToDevice, .deviceToHost] where text.hasPrefix(candidate.rawValue + ":") {
      direction = candidate
      text = text.dropFirst(4)
    }
    let parts = text.split(separator: "@", maxSplits: 1)
    guard parts.count == 2 else { return nil }
    let tail = parts[1].split(separator: ":", maxSplits: 1)
    guard let at = Int(tail[0]), at >= 0 else { return nil }
    let argument = tail.count > 1 ? String(tail[1]) : nil
    switch parts[0] {
    case "drop": action = .drop
    case "flip": action = .flip(0x01)
    case "stall":
      guard let seconds = Double(argument ?? "6"), seconds > 0 else { return nil }
      action = .stall(seconds: seconds)
    case "close": action = .close
    case "reset": action = .reset
    default: return nil
    }
    if case .stall = action {} else if argument != nil { return nil }
    switch action {
    case .close, .reset: self.direction = direction ?? .hostToDevice
    default: self.direction = direction ?? .deviceToHost
    }
    if case .reset = action, self.direction == .deviceToHost { return nil }
    atByte = at
  }
}

/// The running state of a fault list on one link: byte counters per direction and which faults fired.
public struct WireFaults: Sendable {
  public enum Event: Sendable, Equatable {
    case close
    case stall(seconds: Double)
    case reset
  }

  public private(set) var faults: [ByteFault]
  private var counts: [ByteFault.Direction: Int] = [.hostToDevice: 0, .deviceToHost: 0]
  private var fired: Set<Int> = []

  public init(_ faults: [ByteFault]) {
    self.faults = faults
  }

  /// Adds faults whose byte positions count from now rather than from the start of the link.
  public mutating func arm(_ more: [ByteFault]) {
    faults += more.map { fault in
      var shifted = fault
      shifted.atByte += counts[fault.direction, default: 0]
      return shifted
    }
  }

  /// Bytes seen so far in one direction.
  public func count(_ direction: ByteFault.Direction) -> Int { counts[direction, default: 0] }

  /// Whether every fault has fired.
  public var exhausted: Bool { fired.count == faults.count }

  /// Applies the faults that fall inside this chunk. Returns the bytes to deliver now and, when a close,
  /// stall or reset fired, the event and the bytes from that point on (not delivered now).
  public mutating func pass(_ bytes: [UInt8], _ direction: ByteFault.Direction)
    -> (deliver: [UInt8], event: Event?, rest: [UInt8]) {
    let start = counts[direction, default: 0]
    counts[direction] = start + bytes.count
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    for (index, byte) in bytes.enumerated() {
      let position = start + index
      var keep = true
      var value = byte
      for (number, fault) in faults.enumerated()
      where !fired.contains(number) && fault.direction == direction && fault.atByte == position {
        fired.insert(number)
        switch fault.action {
        case .drop: keep = false
        case .flip(let mask): value ^= mask
        case .stall(let seconds): return (out, .stall(seconds: seconds), Array(bytes[index...]))
        case .close: return (out, .close, Array(bytes[index...]))
        case .reset: return (out, .reset, Array(bytes[index...]))
        }
      }
      if keep { out.append(value) }
    }
    return (out, nil, [])
  }
}
