/// What a command handler asks the board to send and do.
struct CommandOutcome {
  enum Reply {
    case none
    case status(value: UInt32, body: [UInt8])
    case repeated(count: Int, value: UInt32)
  }
  var reply: Reply
  var after: AfterReply?

  static let ok = CommandOutcome(reply: .status(value: 0, body: []))
  static func ok(value: UInt32 = 0, body: [UInt8] = [], then after: AfterReply? = nil) -> CommandOutcome {
    CommandOutcome(reply: .status(value: value, body: body), after: after)
  }
}

/// Effects that happen after the reply left the UART.
enum AfterReply {
  case switchBaud(Int)
  case jump(entry: UInt32)
  case leaveLoader(reboot: Bool)
  case startRead
}

/// A MEM_BEGIN in progress.
struct RAMSession {
  var start: UInt32
  var size: Int
  var blocks: Int
  var blockSize: Int
  var nextSeq = 0
  var received = 0
}
