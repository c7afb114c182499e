import ESPLoader

/// A transport that passes bytes to and from another one through a `WireFaults` list: flipped and dropped
/// bytes, a stalled or late reply, a link that closes mid-write, a chip reset. Time is virtual where the
/// inner transport is the in-process board (its empty reads stand for the whole timeout), so a 6 s delay
/// costs no real seconds in a test.
public final class FaultInjectingTransport: Transport {
  public let inner: any Transport
  public var name: String { inner.name }
  public var baudRate: Int { inner.baudRate }
  public var supportsControlLines: Bool { inner.supportsControlLines }
  private var faults: WireFaults
  private var closed = false
  /// Device→host bytes held back by a stall, and the host waiting time still needed to release them.
  private var held: [UInt8] = []
  private var stallRemaining: Double?
  /// What happened, for test messages.
  public private(set) var events: [String] = []

  public init(_ inner: any Transport, faults: [ByteFault]) {
    self.inner = inner
    self.faults = WireFaults(faults)
  }

  public var allFaultsFired: Bool { faults.exhausted }

  /// Adds faults counted from the bytes that have crossed so far ("100 bytes into the write").
  public func arm(_ more: [ByteFault]) { faults.arm(more) }

  public func write(_ bytes: [UInt8]) throws(TransportError) {
    guard !closed else { throw .disconnected(name: name) }
    let (deliver, event, _) = faults.pass(bytes, .hostToDevice)
    if !deliver.isEmpty { try inner.write(deliver) }
    switch event {
    case .close?:
      events.append("closed while the host wrote")
      shut()
      throw .disconnected(name: name)
    case .reset?:
      events.append("chip reset mid-request")
      (inner as? VirtualBoardTransport)?.board.reset(intoDownloadMode: true)
    case .stall(let seconds)?:
      events.append("host→device stalled \(seconds) s")  // the rest of the request is lost
    case nil:
      break
    }
  }

  public func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8] {
    guard !closed else { throw .disconnected(name: name) }
    if let remaining = stallRemaining {
      // Nothing arrives until the host has waited out the stall; what the board sends meanwhile queues.
      let more = try inner.read(maxCount: 1 << 20, timeout: 0)
      held += more
      if remaining > timeout {
        stallRemaining = remaining - timeout
        return []
      }
      stallRemaining = nil
      return take(maxCount)
    }
    if !held.isEmpty { return take(maxCount) }
    let bytes = try inner.read(maxCount: maxCount, timeout: timeout)
    let (deliver, event, rest) = faults.pass(bytes, .deviceToHost)
    switch event {
    case .close?:
      events.append("closed while the device replied")
      shut()
      if deliver.isEmpty { throw .disconnected(name: name) }
    case .stall(let seconds)?:
      events.append("device→host stalled \(seconds) s")
      held = rest
      stallRemaining = seconds
    case .reset?, nil:
      break
    }
    return deliver
  }

  private func take(_ maxCount: Int) -> [UInt8] {
    let out = Array(held.prefix(maxCount))
    held.removeFirst(out.count)
    return out
  }

  private func shut() {
    closed = true
    inner.close()
  }

  public func discardInput() throws(TransportError) {
    guard !closed else { throw .disconnected(name: name) }
    if stallRemaining != nil {
      // Stalled bytes have not arrived yet, so there is nothing to discard: keep them coming.
      held += try inner.read(maxCount: 1 << 20, timeout: 0)
      return
    }
    held.removeAll()
    try inner.discardInput()
  }

  public func setBaudRate(_ baud: Int) throws(TransportError) {
    guard !closed else { throw .disconnected(name: name) }
    try inner.setBaudRate(baud)
  }

  public func setControlLines(dtr: Bool?, rts: Bool?) throws(TransportError) {
    guard !closed else { throw .disconnected(name: name) }
    try inner.setControlLines(dtr: dtr, rts: rts)
  }

  public func close() {
    closed = true
    inner.close()
  }
}
