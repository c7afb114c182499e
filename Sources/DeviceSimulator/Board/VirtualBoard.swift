import ESPLoader

/// A virtual ESP8266/ESP32: reset circuit, UART with a baud rate, ROM serial loader, flasher-stub mode and
/// NOR flash. It is synchronous: bytes written to it are processed at once and replies queue up for the
/// host to take. `rom-protocol.md` §13 lists what a faithful simulator must do; the README beside this
/// file lists where this one still differs from silicon.
public final class VirtualBoard {
  /// What the chip is doing.
  public enum RunState: Hashable, Sendable {
    /// EN is held low.
    case inReset
    /// The ROM serial loader is listening.
    case romLoader
    /// Uploaded code is running and behaves as esptool's flasher stub.
    case stubLoader
    /// The loader was left (FLASH_END, RUN_USER_CODE) or the chip booted from flash: input is ignored.
    case userCode
    /// The chip jumped to an address where nothing was loaded.
    case crashed
  }

  public let configuration: BoardConfiguration
  public var chip: Chip { configuration.chip }
  /// The silicon's own constants (`SiliconFacts`), not the client's chip table.
  let facts: SiliconFacts
  public internal(set) var flash: NORFlash
  public internal(set) var state: RunState = .inReset
  public var faults = FaultPlan()
  /// The device UART's speed; nil while the ROM is still auto-detecting it from the SYNC pattern.
  public internal(set) var uartBaud: Int?
  /// Host→device frames decoded so far (the next one gets this index in a `FaultPlan`).
  public internal(set) var framesReceived = 0
  /// Device→host frames sent so far.
  public internal(set) var framesSent = 0
  /// Resets caused by a watchdog left armed on a USB-Serial/JTAG link (`BoardConfiguration.usbSerialJTAG`).
  public internal(set) var watchdogResets = 0
  /// SPI flash commands run through the controller since the last boot.
  public var spiCommandLog: [UInt8] { registers.spiCommands }
  /// Flash data blocks since the last boot; an armed watchdog fires after `watchdogBlocks` of them.
  var dataBlocksSinceBoot = 0
  static let watchdogBlocks = 48

  var meterCounts = WireMeter()
  private let flashBaseline: NORFlash.Counts

  var registers: RegisterFile
  var decoder = SLIPDecoder(maxFrameLength: 0x4000 + 64)
  var outbox: [(bytes: [UInt8], baud: Int?)] = []
  var writeSession: FlashWriteSession?
  var ramSession: RAMSession?
  var ramSegments: [(start: UInt32, count: Int)] = []
  var readTransfer: ReadTransfer?
  /// ESP32-family ROM: SPI_ATTACH seen (the stub attaches itself).
  var flashAttached = false
  /// The flash size the loader believes in: the ESP32 ROM's 2 MB default until SPI_SET_PARAMS.
  var geometry: Int
  var muteRemaining = 0
  var rng: SplitMix64
  private var enHigh = true
  private var io0High = true
  /// The boot mode latched from GPIO0 at the last chip reset. A software reset (FLASH_END(0), a stub's
  /// soft reset) boots the same way again: esptool's `--after no-reset` relies on this to get from the stub
  /// back to the ROM loader, and it is why an ESP8266 flashed without a hard reset restarts into the loader.
  private var latchedDownloadMode = true

  /// A board whose flash is erased, or holds `flash`; powered up in the ROM download mode by default (as if
  /// BOOT was held while the board was reset), so a client that does not reset can talk to it at once.
  public init(configuration: BoardConfiguration, flash: NORFlash? = nil, startInDownloadMode: Bool = true) {
    self.configuration = configuration
    facts = SiliconFacts.of(configuration.chip)
    let part = flash ?? NORFlash(size: configuration.flashSize)
    self.flash = part
    flashBaseline = part.counts
    registers = RegisterFile(configuration: configuration)
    rng = SplitMix64(seed: configuration.seed)
    geometry = 0
    boot(intoDownloadMode: startInDownloadMode, cause: .powerOn)
  }

  /// Counters and modelled time since the board was created.
  public var meter: WireMeter {
    var meter = meterCounts
    meter.updateFlash(from: flash, timing: configuration.timing, baseline: flashBaseline)
    return meter
  }

  /// Adds host waiting time (a read timeout that expired) to the meter.
  public func addIdleTime(_ seconds: Double) {
    meterCounts.idleSeconds += seconds
  }

  // MARK: Pins and reset

  /// Drives the EN (CHIP_PU) and GPIO0 pins: EN low holds the chip in reset; its rising edge boots it,
  /// into the ROM download mode when GPIO0 is low, into the flash otherwise (`rom-protocol.md` §3.1).
  public func setPins(enHigh newEN: Bool, io0High newIO0: Bool) {
    let wasHigh = enHigh
    enHigh = newEN
    io0High = newIO0
    if !newEN {
      state = .inReset
      resetLoaderState()
    } else if !wasHigh {
      boot(intoDownloadMode: !newIO0, cause: .resetPin)
    }
  }

  /// A reset as from the EN pin (or a watchdog), then boot with the given strapping.
  public func reset(intoDownloadMode: Bool) {
    boot(intoDownloadMode: intoDownloadMode, cause: .resetPin)
  }

  /// The ROM's baud for its boot messages: 115200 scaled by crystal/40 on ESP8266 (74880 with 26 MHz),
  /// 115200 on ESP32-family ROMs.
  var bootBaud: Int {
    chip == .esp8266 ? 115_200 * configuration.crystalMHz / 40 : 115_200
  }

  func boot(intoDownloadMode: Bool, cause: BootBanner.Cause) {
    if cause != .software { latchedDownloadMode = intoDownloadMode }
    resetLoaderState()
    registers = RegisterFile(configuration: configuration)
    dataBlocksSinceBoot = 0
    geometry = chip == .esp8266 ? min(4 << 20, flash.size) : 2 << 20
    uartBaud = nil
    state = intoDownloadMode ? .romLoader : .userCode
    if configuration.bootLog {
      emitText(BootBanner.text(chip: chip, downloadMode: intoDownloadMode, cause: cause,
                               flashStartsWithImage: flash.read(at: 0, count: 1) == [0xE9]),
               baud: bootBaud)
    }
  }

  func resetLoaderState() {
    decoder.reset()
    writeSession = nil
    ramSession = nil
    ramSegments = []
    readTransfer = nil
    flashAttached = false
    muteRemaining = 0
  }

  // MARK: Frames

  func receiveFrame(_ decoded: [UInt8]) {
    let index = framesReceived
    framesReceived += 1
    meterCounts.hostToDeviceFrames += 1
    var frame = decoded
    for action in faults.actions(.hostToDevice, frame: index) {
      switch action {
      case .dropFrame: return
      case .dropByte(let at): if at >= 0, at < frame.count { frame.remove(at: at) }
      case .corruptByte(let at, let mask): if at >= 0, at < frame.count { frame[at] ^= mask }
      case .mute(let frames): muteRemaining = max(frames, 1)
      case .reset(let download): reset(intoDownloadMode: download); return
      }
    }
    defer { if muteRemaining > 0 { muteRemaining -= 1 } }
    if readTransfer != nil {
      handleReadAcknowledgement(frame)
      return
    }
    // Requests: direction 0, opcode, u16 size, u32 checksum, data (§1.2). Anything else is line noise.
    guard frame.count >= 8, frame[0] == 0x00, let size = LE.u16(frame, 2), let checksum = LE.u32(frame, 4)
    else { return }
    let opcode = frame[1]
    let data = Array(frame[8...])
    let personality = state
    guard data.count == Int(size) else {
      reply(opcode, personality: personality, failure: .malformed)
      return
    }
    let outcome: CommandOutcome
    do {
      outcome = try personality == .stubLoader
        ? stubCommand(opcode, data: data, checksum: checksum)
        : romCommand(opcode, data: data, checksum: checksum)
    } catch {
      reply(opcode, personality: personality, failure: error)
      return
    }
    switch outcome.reply {
    case .none: break
    case .status(let value, let body):
      reply(opcode, personality: personality, value: value, body: body)
    case .repeated(let count, let value):
      for _ in 0..<count { reply(opcode, personality: personality, value: value) }
    }
    if let after = outcome.after { perform(after) }
    if opcode == 0x03 || opcode == 0x11 {
      dataBlocksSinceBoot += 1
      // Nothing feeds the RTC and super watchdogs in download mode over USB-Serial/JTAG: a long write ends
      // in a reset unless the client disabled them (esptool `disable_watchdogs`).
      if registers.watchdogArmed, dataBlocksSinceBoot >= Self.watchdogBlocks {
        watchdogResets += 1
        reset(intoDownloadMode: true)
      }
    }
  }

  /// One reply: `01 op size value data status`, with 2 status bytes in stubs and the ESP8266 ROM and 4 in
  /// ESP32-family ROMs; a stub puts its error code in the first byte, a ROM puts 1 there and the code
  /// second (§1.3).
  func reply(_ opcode: UInt8, personality: RunState, value: UInt32 = 0, body: [UInt8] = [],
             failure: LoaderFailure? = nil) {
    var status: [UInt8]
    if personality == .stubLoader {
      status = [failure?.stubCode ?? 0, 0]
    } else {
      status = failure.map { [1, $0.romCode] } ?? [0, 0]
      if facts.romStatusBytes == 4 { status += [0, 0] }
    }
    let data = (failure == nil ? body : []) + status
    sendFrame([0x01, opcode] + LE.bytes(UInt16(data.count)) + LE.bytes(value) + data)
  }

  private func perform(_ action: AfterReply) {
    switch action {
    case .switchBaud(let baud):
      uartBaud = baud
    case .jump(let entry):
      if ramSegments.contains(where: { entry >= $0.start && Int(entry - $0.start) < $0.count }) {
        enterStub()
      } else {
        crash(at: entry)
      }
    case .leaveLoader(let reboot):
      if reboot {
        boot(intoDownloadMode: latchedDownloadMode, cause: .software)
      } else {
        resetLoaderState()
        state = .userCode
      }
    case .startRead:
      continueRead()
    }
  }

  /// The uploaded code is taken to be a flasher stub (the simulator cannot run Xtensa code): it attaches
  /// the flash, greets with `OHAI` (§9.2) and from then on answers in stub format.
  private func enterStub() {
    resetLoaderState()
    state = .stubLoader
    flashAttached = true
    geometry = flash.size
    sendFrame(Array("OHAI".utf8))
  }

  private func crash(at entry: UInt32) {
    resetLoaderState()
    state = .crashed
    let hex = String(entry, radix: 16)
    if chip == .esp8266 {
      emitText("\r\nFatal exception 0(IllegalInstructionCause):\r\nepc1=0x\(hex), epc2=0x00000000, "
               + "epc3=0x00000000, excvaddr=0x00000000, depc=0x00000000\r\n", baud: uartBaud)
    } else {
      emitText("\r\nGuru Meditation Error: Core  0 panic'ed (IllegalInstruction). Exception was unhandled."
               + "\r\nPC      : 0x\(hex)\r\n", baud: uartBaud)
    }
  }
}

