import DeviceSimulator
import ESPLoader
import Foundation

/// One connected board for the length of a command: opens the port, connects, loads the stub, switches
/// baud, and at the end resets as `--after` says and prints `--stats`.
final class DeviceSession {
  let options: ConnectionOptions
  let meter: WireMeter
  let flasher: Flasher
  let usbJTAGSerial: Bool
  let started = Date()
  /// The rate SYNC used, for the crystal estimate.
  let connectBaud: Int

  static func note(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }

  init(_ options: ConnectionOptions, wantStub: Bool = true, transfer: Bool = true) throws {
    self.options = options
    let spec = try PortOpener.resolve(options.port)
    // esptool never syncs above 115200 (§3.3).
    connectBaud = min(115_200, options.transferBaud)
    let opened: PortOpener.Opened
    do {
      opened = try PortOpener.open(spec, baud: connectBaud)
    } catch let error as TransportError {
      throw OpenFailure(error: error, holders: { if case .busy = error { PortOpener.holders(of: spec) } else { [] } }())
    }
    usbJTAGSerial = opened.usbJTAGSerial
    meter = WireMeter(opened.transport)
    var connect = ConnectOptions(before: options.before.value, chip: options.chip.chip,
                                 attempts: options.connectAttempts, usbJTAGSerial: opened.usbJTAGSerial)
    // USB-OTG CDC of the ROM is 303A:<IMAGE_CHIP_ID>; without USB ids esptool assumes it may be (nil).
    if let ids = opened.usbIDs {
      connect.usbOTG = ids.vendor == EspressifUSB.vendorID && [2, 9].contains(ids.product)
      connect.cp2102cReset = ids.vendor == 0x10C4 && ids.product == 0xEA64
    }
    if !meter.supportsControlLines, connect.before == .defaultReset || connect.before == .usbReset {
      connect.before = .noReset  // as esptool does for socket:// ports
    }
    Self.note("Connecting to \(spec)…")
    do {
      flasher = try Flasher.connect(transport: meter, options: connect, diagnostics: Self.note)
    } catch {
      meter.close()
      throw error
    }
    if options.trace { flasher.connection.trace = { Self.note("trace: " + $0) } }
    StopSignal.install()
    flasher.shouldStop = { StopSignal.requested }
    // A vanished port is reopened and the write resumed. An in-process board without an image file would
    // come back erased, so it is not reopened.
    if !spec.hasPrefix("sim://") || spec.contains("image=") {
      let meter = self.meter
      let baud = connectBaud
      flasher.reopen = {
        let again = try PortOpener.open(spec, baud: baud)
        meter.replace(again.transport)
        return meter
      }
    }
    Self.note("Connected: \(flasher.chip), \(flasher.isStub ? "flasher stub already running" : "ROM loader").")
    if wantStub { try loadStub() }
    if transfer, options.transferBaud != meter.baudRate {
      if try flasher.changeBaudRate(options.transferBaud) { Self.note("Changed baud rate to \(options.transferBaud).") }
    }
  }

  private func loadStub() throws {
    guard !flasher.isStub else { return }
    if let refusal = flasher.stubRefusal {
      // esptool's rule too: say so plainly and go on with what the ROM allows.
      Self.note("Not using the flasher stub: \(refusal). The ROM loader writes"
                + (flasher.secureDownloadMode ? "; it cannot read back or verify (no MD5), and no registers can be read." : "."))
      return
    }
    let image: StubImage
    switch options.stubChoice {
    case .none:
      if flasher.chip == .esp8266 {
        Self.note("Using the ESP8266 ROM loader (--stub none): no compression, no read-back, no verification.")
      }
      return
    case .path(let path):
      image = try StubImage.load(path: path)
    case .auto:
      let roots = StubLocator.searchRoots()
      guard let path = StubLocator.find(chip: flasher.chip, roots: roots) else {
        Self.note("No esptool flasher stub for \(flasher.chip) found (install esptool, set ESPFLASH_STUB_DIR or "
                  + "pass --stub PATH); using the ROM loader"
                  + (flasher.chip == .esp8266 ? ", which cannot compress, read back or verify." : "."))
        return
      }
      image = try StubImage.load(path: path)
    }
    Self.note("Uploading the flasher stub (\(image.source))…")
    try flasher.runStub(image)
    Self.note("Stub running.")
  }

  /// Runs `--after`, prints stats, closes the port.
  func finish() {
    do {
      if let note = try flasher.finish(options.after.value, usbJTAGSerial: usbJTAGSerial) { Self.note(note) }
      else if options.after == .hardReset, meter.supportsControlLines { Self.note("Hard reset via RTS.") }
    } catch {
      Self.note("Warning: \(error)")
    }
    if options.stats { Self.note(statsLine()) }
    meter.close()
  }

  func statsLine() -> String {
    let elapsed = Date().timeIntervalSince(started)
    var board = ""
    if let virtual = meter.inner as? VirtualBoardTransport {
      // The virtual board's own meter adds the modelled flash time and per-baud wire time.
      board = "\nvirtual board: " + virtual.board.meter.summary
    }
    return board.isEmpty ? line(elapsed) : line(elapsed) + board
  }

  private func line(_ elapsed: Double) -> String {
    String(format: "wire: host→device %d B, device→host %d B; %.2f s here; ≥ %.2f s on a UART (final rate %d baud)",
                  meter.bytesOut, meter.bytesIn, elapsed, meter.uartSeconds, meter.baudRate)
  }

  var statsJSON: [String: Any] {
    var o: [String: Any] = ["hostToDevice": meter.bytesOut, "deviceToHost": meter.bytesIn, "baud": meter.baudRate,
                            "uartSeconds": (meter.uartSeconds * 1000).rounded() / 1000]
    if let virtual = meter.inner as? VirtualBoardTransport {
      let m = virtual.board.meter
      o["virtualBoard"] = ["modelledSeconds": (m.modelledSeconds * 1000).rounded() / 1000,
                           "flashSeconds": (m.flashSeconds * 1000).rounded() / 1000,
                           "sectorErases": m.sectorErases, "blockErases": m.blockErases, "pagePrograms": m.pagePrograms]
    }
    return o
  }

  /// Runs `body` with the session, always finishing; the error (if any) goes on after the reset.
  static func with<T>(_ options: ConnectionOptions, wantStub: Bool = true, transfer: Bool = true,
                     _ body: (DeviceSession) throws -> T) throws -> T {
    let session = try DeviceSession(options, wantStub: wantStub, transfer: transfer)
    do {
      let result = try body(session)
      session.finish()
      return result
    } catch {
      if options.stats { note(session.statsLine()) }
      session.meter.close()
      throw error
    }
  }
}

/// A port that could not be opened, with who holds it when it is busy.
struct OpenFailure: Error {
  var error: TransportError
  var holders: [String]
}
