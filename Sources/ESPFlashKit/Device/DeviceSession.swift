import DeviceSimulator
import ESPLoader
import ESPTransport
import Foundation

/// One connected board for the length of a job: opens the port, connects, checks the board, loads the stub,
/// switches baud, and at the end resets as `after` says and reports the wire statistics.
public final class DeviceSession {
  public let settings: ConnectionSettings
  public let meter: TransportMeter
  public let flasher: Flasher
  public let usbJTAGSerial: Bool
  /// The rate SYNC used, for the crystal estimate.
  public let connectBaud: Int
  let events: WorkflowEvents
  let started = Date()
  private var ended = false

  /// `check` runs right after the connection, before any stub upload or baud change: a board that is
  /// refused gets nothing sent to it but the reads the check makes.
  public init(_ settings: ConnectionSettings, wantStub: Bool = true, transfer: Bool = true,
              events: @escaping WorkflowEvents = WorkflowEventsDefaults.silent,
              check: ((Flasher) throws -> Void)? = nil) throws {
    self.settings = settings
    self.events = events
    let spec = try PortAddress.resolve(settings.port, environment: settings.environment)
    // esptool never syncs above 115200 (§3.3).
    connectBaud = min(115_200, settings.transferBaud)
    let opened: PortAddress.Opened
    do {
      opened = try PortAddress.open(spec, baud: connectBaud, events: events)
    } catch let error as TransportError {
      throw PortOpenFailure(error: error, holders: { if case .busy = error { PortAddress.holders(of: spec) } else { [] } }())
    }
    usbJTAGSerial = opened.usbJTAGSerial
    meter = TransportMeter(opened.transport)
    var connect = ConnectOptions(before: settings.before, chip: settings.chip, attempts: settings.connectAttempts,
                                 usbJTAGSerial: opened.usbJTAGSerial)
    // The ROM's USB-OTG CDC is 303A:<IMAGE_CHIP_ID> (S2: 2, S3: 9); without USB ids esptool assumes it may be.
    if let ids = opened.usbIDs {
      connect.usbOTG = ids.vendor == EspressifUSB.vendorID && [2, 9].contains(ids.product)
      connect.cp2102cReset = ids.vendor == 0x10C4 && ids.product == 0xEA64
    }
    if !meter.supportsControlLines, connect.before == .defaultReset || connect.before == .usbReset {
      connect.before = .noReset  // as esptool does for socket:// ports
    }
    events(.note("Connecting to \(spec)…"))
    do {
      flasher = try Flasher.connect(transport: meter, options: connect, diagnostics: { events(.note($0)) })
    } catch {
      meter.close()
      throw error
    }
    if settings.trace { flasher.connection.trace = { events(.note("trace: " + $0)) } }
    flasher.shouldStop = settings.shouldStop
    // A vanished port is reopened and the job resumed. An in-process board without an image file would come
    // back erased, so it is not reopened.
    if !spec.hasPrefix("sim://") || spec.contains("image=") {
      let meter = self.meter
      let baud = connectBaud
      flasher.reopen = {
        let again = try PortAddress.open(spec, baud: baud, events: events)
        meter.replace(again.transport)
        return meter
      }
    }
    events(.note("Connected: \(flasher.chip), \(flasher.isStub ? "flasher stub already running" : "ROM loader")."))
    do {
      try check?(flasher)
      if wantStub { try loadStub() }
      if transfer, settings.transferBaud != meter.baudRate {
        if try flasher.changeBaudRate(settings.transferBaud) { events(.note("Changed baud rate to \(settings.transferBaud).")) }
      }
    } catch {
      end(afterError: true)
      throw error
    }
  }

  private func loadStub() throws {
    guard !flasher.isStub else { return }
    if let refusal = flasher.stubRefusal {
      // esptool's rule too: say so plainly and go on with what the ROM allows.
      events(.note("Not using the flasher stub: \(refusal). The ROM loader writes"
                   + (flasher.secureDownloadMode ? "; it cannot read back or verify (no MD5), and no registers can be read." : ".")))
      return
    }
    let image: StubImage
    switch settings.stub {
    case .none:
      if flasher.chip == .esp8266 {
        events(.note("Using the ESP8266 ROM loader (--stub none): no compression, no read-back, no verification."))
      }
      return
    case .path(let path) where path.hasSuffix(".py"):
      // An older esptool.py with the stubs inside (the ESP8266 Arduino core's esptool 3.0).
      image = try StubInstallation(chip: flasher.chip, esptoolVersion: nil, path: path, format: .pythonEmbedded,
                                   stubGeneration: nil, origin: path).load()
    case .path(let path):
      image = try StubImage(json: try HostFiles.read(path), source: path)
    case .auto:
      // Every place users already have esptool's stubs: pip, PlatformIO, the Arduino cores (StubCatalog).
      guard let found = StubCatalog.best(for: flasher.chip, in: StubCatalog.discover(environment: settings.environment)) else {
        events(.note("No esptool flasher stub for \(flasher.chip) found (install esptool or an Arduino/PlatformIO core, "
                     + "set ESPFLASH_STUB_DIR or pass --stub PATH; `espflash-swift stubs` shows where it looks); "
                     + "using the ROM loader"
                     + (flasher.chip == .esp8266 ? ", which cannot compress, read back or verify." : ".")))
        return
      }
      image = try found.load()
      events(.note("Flasher stub: \(found.origin), esptool \(found.esptoolVersion ?? "?"), \(found.licence)."))
    }
    events(.note("Uploading the flasher stub (\(image.source))…"))
    try flasher.runStub(image)
    events(.note("Stub running."))
  }

  /// What crossed the wire so far.
  public var statistics: WireStatistics { WireStatistics(meter: meter, elapsed: Date().timeIntervalSince(started)) }

  /// Runs the `after` reset, reports the statistics, closes the port. A failed reset is a note: the job's
  /// outcome (data written, or the error that stopped it) is what the caller reports. Throws when closing lost
  /// data: a virtual board whose flash image could not be saved.
  @discardableResult
  public func finish() throws -> WireStatistics {
    let stats = end(afterError: false)
    if let error = (meter.inner as? VirtualBoardTransport)?.closeError { throw error }
    return stats
  }

  @discardableResult
  private func end(afterError: Bool) -> WireStatistics {
    guard !ended else { return statistics }
    ended = true
    if afterError, flasher.shouldStop() {
      // Stopped on request: the chip stays in its loader, so the command that finishes the job can go on.
      events(.note("Left the chip in its loader (no --after reset after a stop)."))
      let stats = statistics
      events(.sessionEnded(stats))
      meter.close()
      return stats
    }
    do {
      if let note = try flasher.finish(settings.after, usbJTAGSerial: usbJTAGSerial) { events(.note(note)) }
      else if settings.after == .hardReset, meter.supportsControlLines { events(.note("Hard reset via RTS.")) }
    } catch {
      events(.note("Warning: \(afterError ? "after the error, " : "")--after \(settings.after.rawValue) failed: \(error)"))
    }
    let stats = statistics
    events(.sessionEnded(stats))
    meter.close()
    if afterError, let error = (meter.inner as? VirtualBoardTransport)?.closeError {
      events(.note("Warning: \(error)"))
    }
    return stats
  }

  /// Runs `body` with a session, always finishing it — the `after` reset runs on the error path too, then
  /// the error goes on.
  public static func with<T>(_ settings: ConnectionSettings, wantStub: Bool = true, transfer: Bool = true,
                             events: @escaping WorkflowEvents = WorkflowEventsDefaults.silent,
                             check: ((Flasher) throws -> Void)? = nil,
                             _ body: (DeviceSession) throws -> T) throws -> T {
    let session = try DeviceSession(settings, wantStub: wantStub, transfer: transfer, events: events, check: check)
    do {
      let result = try body(session)
      try session.finish()
      return result
    } catch {
      session.end(afterError: true)
      throw error
    }
  }
}
