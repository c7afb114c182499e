import ESPLoader

/// Counts the bytes crossing any transport, for `--stats`: what the link carried, whatever is behind it
/// (a serial port, a socket, the virtual board).
final class WireMeter: Transport {
  /// Replaced when the flasher reopens a vanished port, so the counts go on across the reconnect.
  private(set) var inner: any Transport

  func replace(_ transport: any Transport) { inner = transport }
  private(set) var bytesOut = 0
  private(set) var bytesIn = 0
  /// UART time of the bytes so far, each at the rate in effect when it crossed (8N1: 10 bits a byte).
  private(set) var uartSeconds = 0.0

  init(_ inner: any Transport) { self.inner = inner }

  var name: String { inner.name }
  var baudRate: Int { inner.baudRate }
  var supportsControlLines: Bool { inner.supportsControlLines }

  func write(_ bytes: [UInt8]) throws(TransportError) {
    try inner.write(bytes)
    bytesOut += bytes.count
    uartSeconds += Double(bytes.count) * 10 / Double(max(inner.baudRate, 1))
  }

  func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8] {
    let bytes = try inner.read(maxCount: maxCount, timeout: timeout)
    bytesIn += bytes.count
    uartSeconds += Double(bytes.count) * 10 / Double(max(inner.baudRate, 1))
    return bytes
  }

  func discardInput() throws(TransportError) { try inner.discardInput() }
  func setBaudRate(_ baud: Int) throws(TransportError) { try inner.setBaudRate(baud) }
  func setControlLines(dtr: Bool?, rts: Bool?) throws(TransportError) { try inner.setControlLines(dtr: dtr, rts: rts) }
  func close() { inner.close() }
}
