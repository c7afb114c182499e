import ESPLoader

/// An in-process `Transport` wired to a `VirtualBoard`, as if through a USB-serial adapter with the
/// classic two-transistor auto-reset circuit (DTR → GPIO0, RTS → EN, asserted = low; both asserted = no
/// reset, `rom-protocol.md` §3.1).
///
/// The board is synchronous, so a read never sleeps: it returns what the board has sent, or nothing at
/// once when nothing is pending, because nothing will ever arrive until the host writes again. The timeout
/// the host would have waited is added to the meter's idle time instead. Bytes crossing at different bauds
/// on the two sides arrive as garbage, in both directions.
public final class VirtualBoardTransport: Transport {
  public let board: VirtualBoard
  public let name: String
  public private(set) var baudRate: Int = 115_200
  private var pending: [UInt8] = []
  private var pendingHead = 0
  private var isClosed = false
  private var dtr = false
  private var rts = false
  /// Called once by `close()` (the sim:// opener saves the flash image here).
  public var onClose: ((VirtualBoard) throws(TransportError) -> Void)?
  /// Why `onClose` failed (the flash image could not be saved), for the owner to report: `close()` cannot throw.
  public private(set) var closeError: TransportError?

  public init(board: VirtualBoard, name: String = "sim://") {
    self.board = board
    self.name = name
  }

  public func write(_ bytes: [UInt8]) throws(TransportError) {
    guard !isClosed else { throw .closed(name: name) }
    board.receive(bytes, hostBaud: baudRate)
  }

  public func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8] {
    guard !isClosed else { throw .closed(name: name) }
    collect()
    guard pendingHead < pending.count, maxCount > 0 else {
      board.addIdleTime(max(timeout, 0))
      return []
    }
    let end = min(pending.count, pendingHead + maxCount)
    let out = Array(pending[pendingHead..<end])
    pendingHead = end
    if pendingHead == pending.count {
      pending.removeAll(keepingCapacity: true)
      pendingHead = 0
    }
    return out
  }

  public func discardInput() throws(TransportError) {
    guard !isClosed else { throw .closed(name: name) }
    _ = board.takeOutput(hostBaud: baudRate)
    pending.removeAll(keepingCapacity: true)
    pendingHead = 0
  }

  public func setBaudRate(_ baud: Int) throws(TransportError) {
    guard !isClosed else { throw .closed(name: name) }
    guard baud >= 300, baud <= 5_000_000 else { throw .unsupportedBaudRate(name: name, baud: baud) }
    baudRate = baud
  }

  public func setControlLines(dtr newDTR: Bool?, rts newRTS: Bool?) throws(TransportError) {
    guard !isClosed else { throw .closed(name: name) }
    if let newDTR { dtr = newDTR }
    if let newRTS { rts = newRTS }
    let enLow = rts && !dtr
    let io0Low = dtr && !rts
    board.setPins(enHigh: !enLow, io0High: !io0Low)
  }

  public var supportsControlLines: Bool { true }

  public func close() {
    guard !isClosed else { return }
    isClosed = true
    do {
      try onClose?(board)
    } catch {
      closeError = error
    }
    onClose = nil
  }

  private func collect() {
    if board.hasOutput { pending += board.takeOutput(hostBaud: baudRate) }
  }
}
