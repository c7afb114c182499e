import ESPLoader

/// Counts the bytes crossing any transport, for wire statistics: what the link carried, whatever is behind it
/// (a serial port, a socket, the virtual board, whose own `WireMeter` models the board side).
public final class TransportMeter: Transport {
  /// Replaced when the flasher reopens a vanished port, so the counts go on across the reconnect.
  public private(set) var inner: any Transport

  public func replace(_ transport: any Transport) { inner = transport }
  public private(set) var bytesOut = 0
  public private(set) var bytesIn = 0
  /// UART time of the bytes so far, each at the rate in effect when it crossed (8N1: 10 bits a byte).
  public private(set) var uartSeconds = 0.0

  public init(_ inner: any Transport) { self.inner = inner }

  public var name: String { inner.name }
  public var baudRate: Int { inner.baudRate }
  public var supportsControlLines: Bool { inner.supportsControlLines }

  public func write(_ bytes: [UInt8]) throws(TransportError) {
    try inner.write(bytes)
    bytesOut += bytes.count
    uartSeconds += Double(bytes.count) * 10 / Double(max(inner.baudRate, 1))
  }

  public func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8] {
    let bytes = try inner.read(maxCount: maxCount, timeout: timeout)
    bytesIn += bytes.count
    uartSeconds += Double(bytes.count) * 10 / Double(max(inner.baudRate, 1))
    return bytes
  }

  public func discardInput() throws(TransportError) { try inner.discardInput() }
  public func setBaudRate(_ baud: Int) throws(TransportError) { try inner.setBaudRate(baud) }
  public func setControlLines(dtr: Bool?, rts: Bool?) throws(TransportError) { try inner.setControlLines(dtr: dtr, rts: rts) }
  public func close() { inner.close() }
}
