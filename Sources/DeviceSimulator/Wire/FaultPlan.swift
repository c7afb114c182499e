/// Faults to inject on the simulated wire, for testing a client's error handling. Rules name a frame by
/// its index in one direction, counted from 0 since the board was created (`VirtualBoard.framesReceived`
/// / `framesSent` give the next index).
public struct FaultPlan: Sendable {
  public enum Direction: Sendable, Hashable { case hostToDevice, deviceToHost }

  public enum Action: Sendable, Hashable {
    /// The whole frame is lost.
    case dropFrame
    /// One byte is lost. Host→device: a byte of the decoded frame; device→host: a byte of the wire frame,
    /// delimiters and escapes included (dropping a `C0` merges two frames, as on a real line).
    case dropByte(at: Int)
    /// One byte arrives with bits flipped (same indexing as `dropByte`).
    case corruptByte(at: Int, xor: UInt8)
    /// Host→device only: the command runs, but its replies and those of the next `frames − 1` commands
    /// are never sent (a stalled or deaf UART TX).
    case mute(frames: Int)
    /// Host→device only: the chip is reset as this frame arrives (EN pulse), which it therefore never
    /// sees; it boots into the ROM download mode or into user code.
    case reset(intoDownloadMode: Bool)
  }

  public struct Rule: Sendable, Hashable {
    public var direction: Direction
    public var frameIndex: Int
    public var action: Action
    public init(_ direction: Direction, frame frameIndex: Int, _ action: Action) {
      self.direction = direction
      self.frameIndex = frameIndex
      self.action = action
    }
  }

  public var rules: [Rule] = []
  /// Probability that any device→host wire byte is flipped (seeded by the board's configuration).
  public var deviceToHostByteErrorRate = 0.0
  /// Probability that any host→device byte is flipped before the board's SLIP decoder sees it.
  public var hostToDeviceByteErrorRate = 0.0

  public init(rules: [Rule] = []) {
    self.rules = rules
  }

  func actions(_ direction: Direction, frame index: Int) -> [Action] {
    rules.filter { $0.direction == direction && $0.frameIndex == index }.map(\.action)
  }
}
