import ESPLoader

/// The UART side of the board: bytes in (autobaud, baud mismatch, injected byte errors, SLIP decoding) and
/// bytes out (boot text, SLIP frames with injected faults), all counted by the wire meter.
extension VirtualBoard {
  /// Bytes arriving on the chip's RX line, sent by a host at `hostBaud` (nil = no baud on this link, e.g. a
  /// TCP socket: the bytes always match the device's rate).
  public func receive(_ bytes: [UInt8], hostBaud: Int?) {
    guard !bytes.isEmpty else { return }
    meterCounts.countHostToDevice(bytes: bytes.count, baud: hostBaud ?? uartBaud ?? 115_200)
    guard state == .romLoader || state == .stubLoader else { return }
    var input = bytes
    if let hostBaud {
      if uartBaud == nil {
        uartBaud = hostBaud  // ROM autobaud locks to the first bytes (the SYNC 0x55 run)
      } else if let device = uartBaud, device != hostBaud {
        input = BaudMismatch.garble(input, sentAt: hostBaud, sampledAt: device, rng: &rng)
      }
    } else if uartBaud == nil {
      uartBaud = 115_200
    }
    if faults.hostToDeviceByteErrorRate > 0 {
      for index in input.indices where rng.nextUnit() < faults.hostToDeviceByteErrorRate {
        input[index] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
      }
    }
    decoder.append(input)
    while let frame = decoder.nextFrame() {
      receiveFrame(frame)
      if state != .romLoader && state != .stubLoader { break }
    }
  }

  /// Whether replies or log text are waiting.
  public var hasOutput: Bool { !outbox.isEmpty }

  /// Takes everything the chip sent, as received by a host listening at `hostBaud` (nil = no baud on this
  /// link). Bytes sent at another rate arrive as garbage, as a 74880-baud boot log does at 115200.
  public func takeOutput(hostBaud: Int?) -> [UInt8] {
    var out: [UInt8] = []
    for chunk in outbox {
      if let hostBaud, let sent = chunk.baud, sent != hostBaud {
        out += BaudMismatch.garble(chunk.bytes, sentAt: sent, sampledAt: hostBaud, rng: &rng)
      } else {
        out += chunk.bytes
      }
    }
    outbox.removeAll()
    return out
  }

  /// Queues raw text (boot log, crash report) at `baud`.
  func emitText(_ text: String, baud: Int?) {
    let bytes = Array(text.utf8)
    meterCounts.countDeviceToHost(bytes: bytes.count, baud: baud ?? 115_200, noise: true)
    outbox.append((bytes, baud))
  }

  /// SLIP-encodes and queues one frame, applying device→host faults.
  func sendFrame(_ payload: [UInt8]) {
    let index = framesSent
    framesSent += 1
    if muteRemaining > 0 { return }
    var wire = SLIP.encode(payload)
    for action in faults.actions(.deviceToHost, frame: index) {
      switch action {
      case .dropFrame: return
      case .dropByte(let at): if at >= 0, at < wire.count { wire.remove(at: at) }
      case .corruptByte(let at, let mask): if at >= 0, at < wire.count { wire[at] ^= mask }
      case .mute, .reset: break
      }
    }
    if faults.deviceToHostByteErrorRate > 0 {
      for index in wire.indices where rng.nextUnit() < faults.deviceToHostByteErrorRate {
        wire[index] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
      }
    }
    meterCounts.deviceToHostFrames += 1
    meterCounts.countDeviceToHost(bytes: wire.count, baud: uartBaud ?? 115_200, noise: false)
    outbox.append((wire, uartBaud))
  }

  func addRegisterDelay(microseconds: UInt32) {
    meterCounts.registerDelaySeconds += Double(microseconds) / 1_000_000
  }

}
