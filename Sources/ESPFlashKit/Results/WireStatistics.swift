import DeviceSimulator

/// What crossed the wire in one board session (`--stats`).
public struct WireStatistics: Codable, Sendable, Equatable {
  public var hostToDevice: Int
  public var deviceToHost: Int
  /// The rate in effect at the end.
  public var baud: Int
  /// The least time those bytes take on a UART, each at the rate in effect when it crossed.
  public var uartSeconds: Double
  /// Wall-clock time of the session here.
  public var elapsedSeconds: Double
  /// The virtual board's own model of the session (sim:// ports only).
  public var virtualBoard: VirtualBoardStatistics?

  public struct VirtualBoardStatistics: Codable, Sendable, Equatable {
    public var modelledSeconds: Double
    public var flashSeconds: Double
    public var sectorErases: Int
    public var blockErases: Int
    public var pagePrograms: Int
    /// The board meter's own one-paragraph summary.
    public var summary: String

    init(_ meter: WireMeter) {
      modelledSeconds = WireStatistics.millis(meter.modelledSeconds)
      flashSeconds = WireStatistics.millis(meter.flashSeconds)
      sectorErases = meter.sectorErases
      blockErases = meter.blockErases
      pagePrograms = meter.pagePrograms
      summary = meter.summary
    }
  }

  init(meter: TransportMeter, elapsed: Double) {
    hostToDevice = meter.bytesOut
    deviceToHost = meter.bytesIn
    baud = meter.baudRate
    uartSeconds = Self.millis(meter.uartSeconds)
    elapsedSeconds = Self.millis(elapsed)
    if let virtual = meter.inner as? VirtualBoardTransport { virtualBoard = VirtualBoardStatistics(virtual.board.meter) }
  }

  static func millis(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}
