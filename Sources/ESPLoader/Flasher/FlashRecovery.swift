/// How hard the flasher tries before it gives up (esptool 5.6: WRITE_BLOCK_ATTEMPTS 3, WRITE_FLASH_ATTEMPTS 2,
/// `rom-protocol.md` §5.4), plus a restart from the last confirmed sector, which esptool does not have.
public struct RecoveryPolicy: Sendable {
  /// Sends of one DATA block (or one BEGIN / MD5 / register command) before the block counts as failed.
  public var blockAttempts = 3
  /// New BEGINs from the last confirmed sector after a block failed for good or the state is uncertain.
  public var restarts = 3
  /// Times a vanished port is reopened (and the chip re-synced, the stub re-run) during one operation.
  public var reconnects = 2
  /// Opening attempts per reconnect and the pause between them: a native-USB chip takes a moment to
  /// re-enumerate.
  public var reopenAttempts = 10
  public var reopenDelay = 0.5

  public init() {}

  /// No recovery at all: the first fault ends the operation (for comparisons and tests).
  public static let none: RecoveryPolicy = {
    var policy = RecoveryPolicy()
    policy.blockAttempts = 1
    policy.restarts = 0
    policy.reconnects = 0
    return policy
  }()
}

extension LoaderError {
  /// A fault that sending again may cure: a lost, late or corrupted reply, or a loader that saw a corrupted
  /// request (checksum, malformed, sequence). Not: an address the loader refuses, a command it lacks.
  var isTransient: Bool {
    switch self {
    case .timeout, .malformedReply: return true
    case .deviceRejected(_, _, let status):
      return ![0x09, 0x0A, 0x0E, 0x0F, 0xC3, 0xFF].contains(status.code)
    case .writeInterrupted(_, _, _, let underlying): return underlying.isTransient
    default: return false
    }
  }

  /// The port or socket itself failed: only reopening it helps.
  var isDisconnect: Bool {
    switch self {
    case .transport(let error, _):
      switch error {
      case .disconnected, .closed, .io: return true
      default: return false
      }
    case .writeInterrupted(_, _, _, let underlying): return underlying.isDisconnect
    default: return false
    }
  }
}

extension Flasher {
  func note(_ text: String) {
    recoveries.append(text)
    diagnostics("Recovering: " + text + ".")
  }

  /// Throws `.interrupted` when a stop was requested (checked at block boundaries).
  func checkStop(_ kind: Interruption.Kind, offset: UInt32, size: Int, doneUpTo: UInt32,
                 erasedUpTo: UInt32? = nil) throws(LoaderError) {
    guard shouldStop() else { return }
    throw .interrupted(Interruption(kind: kind, offset: offset, size: size, doneUpTo: doneUpTo, erasedUpTo: erasedUpTo))
  }

  /// One DATA block, sent again (as esptool does) when its reply is lost, late or corrupted, or the loader
  /// saw it corrupted. Stale input is dropped before each new send.
  func sendDataBlock(_ command: Command, timeout: Double, context: String) throws(LoaderError) {
    try commandRetrying(command, timeout: timeout, context: context)
  }

  /// A command that is harmless to repeat (BEGIN, DATA, MD5, READ_REG), retried on transient faults.
  @discardableResult
  func commandRetrying(_ command: Command, timeout: Double = 3, expectedDataLength: Int = 0,
                       context: String? = nil) throws(LoaderError) -> Response {
    var attempt = 1
    while true {
      do {
        return try connection.command(command, timeout: timeout, expectedDataLength: expectedDataLength,
                                      context: context)
      } catch {
        // A stop request ends the retries: the caller reports the range at this block boundary.
        guard attempt < recovery.blockAttempts, error.isTransient, !shouldStop() else { throw error }
        note("\(command.opcode)\(context.map { " " + $0 } ?? ""): \(error) — sending it again "
             + "(attempt \(attempt + 1) of \(recovery.blockAttempts))")
        attempt += 1
        try? connection.discardInput()
      }
    }
  }

  /// Writes the image, restarting from the last confirmed sector (with a fresh BEGIN, which also erases in
  /// ROM) after a block failed for good, and reopening the port when it vanished. Returns the compressed
  /// size when compression was used. `eraseSize` goes to every plain FLASH_BEGIN (`writePlain`); `stream` is
  /// the image already deflated, when the caller has it.
  func writeRecovering(_ image: [UInt8], at start: UInt32, compress: Bool, eraseSize: UInt32? = nil,
                       stream precomputed: [UInt8]? = nil, progress: ProgressHandler?) throws(LoaderError) -> Int? {
    var firstStream: [UInt8]?
    if compress && !isESP8266ROM, let precomputed {
      firstStream = precomputed
    } else if compress && !isESP8266ROM {
      let stream = try Deflate.compress(image)
      if stream.count < image.count { firstStream = stream }
    }
    var from = 0
    var restarts = 0
    var reconnects = 0
    while true {
      do {
        if let firstStream {
          _ = try writeCompressed(image, at: start, from: from, stream: from == 0 ? firstStream : nil,
                                  progress: progress)
          return firstStream.count
        }
        try writePlain(image, at: start, from: from, eraseSize: eraseSize, progress: progress)
        return nil
      } catch {
        guard case .writeInterrupted(_, _, let upTo, let underlying) = error else { throw error }
        if shouldStop() {
          throw .interrupted(Interruption(kind: .write, offset: start, size: image.count, doneUpTo: upTo,
                                          erasedUpTo: isStub ? nil : start + UInt32(image.count)))
        }
        let restartAt = Self.restartAddress(start: start, size: image.count, confirmedUpTo: upTo)
        if underlying.isDisconnect, reopen != nil, reconnects < recovery.reconnects {
          reconnects += 1
          note("the link failed (\(underlying)); reopening \(transport.name), then writing again from "
               + hexAddress(restartAt))
          do {
            try reconnect()
            try prepareFlashAccess(end: UInt64(start) + UInt64(image.count))
          } catch {
            if case .interrupted = error { throw error }
            throw .writeInterrupted(offset: start, size: UInt32(image.count), writtenUpTo: upTo, underlying: error)
          }
        } else if underlying.isTransient, restarts < recovery.restarts {
          restarts += 1
          note("\(underlying); starting a new write at \(hexAddress(restartAt)), the last confirmed sector")
          do {
            try resynchronize()
            try prepareFlashAccess(end: UInt64(start) + UInt64(image.count))
          } catch {
            if case .interrupted = error { throw error }
            // The loader no longer answers at all: the block failure is what the user needs to see.
            diagnostics("Recovery failed: \(error).")
            throw .writeInterrupted(offset: start, size: UInt32(image.count), writtenUpTo: upTo, underlying: underlying)
          }
        } else {
          throw error
        }
        from = Int(restartAt - start)
      }
    }
  }

  /// Before a restart: finds out who answers now. A chip that was reset mid-write answers SYNC from its ROM
  /// (non-zero value) where a stub was running: the stub is uploaded again. Either way the flash is attached
  /// again, which a ROM that was reset needs. Nobody answering, with a way to reopen the port, reconnects.
  func resynchronize() throws(LoaderError) {
    try? connection.discardInput()
    connection.drain(for: 0.05)
    var stubAnswers: Bool?
    for _ in 0..<5 where stubAnswers == nil {
      stubAnswers = try? Flasher.sync(connection)
    }
    guard let stubAnswers else {
      if reopen != nil { try reconnect(); return }
      throw .timeout(command: "SYNC", context: "(checking the loader before restarting the write)", seconds: Self.syncTimeout)
    }
    flashAttached = false
    parametersSentFor = nil
    if !stubAnswers { try postConnect() }  // a reset re-arms the USB-Serial/JTAG watchdogs
    if isStub, !stubAnswers {
      note("the ROM answers where the stub was running: the chip was reset; starting the stub again")
      isStub = false
      if let stub = loadedStub { try runStub(stub) }
    }
  }

  /// The sector boundary at or before the confirmed address, inside the image: a restart re-erases from
  /// there (ROM at BEGIN, stub as it goes) and sends everything after it again.
  static func restartAddress(start: UInt32, size: Int, confirmedUpTo: UInt32) -> UInt32 {
    let lastSector = (UInt64(start) + UInt64(size) - 1) / 0x1000 * 0x1000
    let aligned = min(UInt64(confirmedUpTo) / 0x1000 * 0x1000, lastSector)
    return UInt32(max(UInt64(start), aligned))
  }

  /// The flash MD5 as lower-case hex, with transient faults retried and a vanished port reopened.
  func flashMD5Retrying(offset: UInt32, size: Int) throws(LoaderError) -> String {
    var reconnects = 0
    while true {
      do {
        return try flashMD5(offset: offset, size: size).map { hex($0).lowercased() }.joined()
      } catch {
        guard error.isDisconnect, reopen != nil, reconnects < recovery.reconnects else { throw error }
        reconnects += 1
        note("the link failed during the MD5 check (\(error)); reopening \(transport.name)")
        try reconnect()
      }
    }
  }

  /// Reopens the port, syncs again, checks it is the same chip, re-runs the stub and the baud change. The
  /// flash contents are whatever they were; the caller restarts its operation.
  public func reconnect() throws(LoaderError) {
    guard let reopen else {
      throw .transport(.disconnected(name: transport.name), during: "reconnecting (no way to reopen the port)")
    }
    let name = transport.name
    transport.close()
    var last: LoaderError = .transport(.disconnected(name: name), during: "reopening")
    for attempt in 0..<max(1, recovery.reopenAttempts) {
      if attempt > 0 { sleep(recovery.reopenDelay) }
      let opened: any Transport
      do { opened = try reopen() } catch {
        last = (error as? TransportError).map { .transport($0, during: "reopening") }
          ?? .transport(.cannotOpen(name: name, errno: 0, detail: "\(error)"), during: "reopening")
        continue
      }
      do {
        try reattach(opened)
        return
      } catch {
        opened.close()
        last = error
      }
    }
    throw last
  }

  private func reattach(_ transport: any Transport) throws(LoaderError) {
    let fresh = LoaderConnection(transport: transport)
    fresh.trace = connection.trace
    var options = connectOptions
    options.chip = chip
    let stubRunning = try Flasher.syncLoop(connection: fresh, options: options, diagnostics: diagnostics, sleep: sleep)
    _ = try Flasher.detectChip(connection: fresh, forced: chip, stub: stubRunning)
    connection = fresh
    if !stubRunning { try postConnect() }
    let wantedStub = isStub
    isStub = stubRunning
    fresh.repliesFromStub = stubRunning
    flashAttached = false
    parametersSentFor = nil
    if wantedStub, !isStub, let stub = loadedStub { try runStub(stub) }
    if let baud = requestedBaud, baud != transport.baudRate { try changeBaudRate(baud) }
    diagnostics("Reconnected to the \(loaderName) on \(transport.name).")
  }
}
