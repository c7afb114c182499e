/// Counts what crossed the simulated UART and models how long it would take on a real link: 10 bits per byte
/// (8N1, no gaps) at the baud in effect when each byte crossed, plus flash busy time (erase and page
/// program, see `FlashTiming`), WRITE_REG delays, and the timeouts a host spent waiting for nothing.
public struct WireMeter: Hashable, Sendable {
  public var hostToDeviceBytes = 0
  public var deviceToHostBytes = 0
  public var hostToDeviceFrames = 0
  public var deviceToHostFrames = 0
  /// Device→host bytes outside any frame (boot log, crash text).
  public var noiseBytes = 0
  public var hostToDeviceSeconds = 0.0
  public var deviceToHostSeconds = 0.0
  /// Erase and program time, from the flash's operation counts.
  public var flashSeconds = 0.0
  public var sectorErases = 0
  public var blockErases = 0
  public var chipErases = 0
  public var pagePrograms = 0
  /// `delay_us` of WRITE_REG tuples.
  public var registerDelaySeconds = 0.0
  /// Read timeouts that expired with nothing to read (in-process transport only).
  public var idleSeconds = 0.0

  public init() {}

  public var wireSeconds: Double { hostToDeviceSeconds + deviceToHostSeconds }

  /// Wire + flash + delays: what a half-duplex request/reply exchange would take on hardware, as a lower
  /// bound (no device CPU time, no USB latency). Idle time is reported separately.
  public var modelledSeconds: Double { wireSeconds + flashSeconds + registerDelaySeconds }

  mutating func countHostToDevice(bytes: Int, baud: Int) {
    hostToDeviceBytes += bytes
    hostToDeviceSeconds += Double(bytes) * 10 / Double(max(baud, 1))
  }

  mutating func countDeviceToHost(bytes: Int, baud: Int, noise: Bool) {
    deviceToHostBytes += bytes
    if noise { noiseBytes += bytes }
    deviceToHostSeconds += Double(bytes) * 10 / Double(max(baud, 1))
  }

  /// Copies the flash operation counts and their modelled time.
  mutating func updateFlash(from flash: NORFlash, timing: FlashTiming, baseline: NORFlash.Counts) {
    let counts = flash.counts
    sectorErases = counts.sectorErases - baseline.sectorErases
    blockErases = counts.blockErases - baseline.blockErases
    chipErases = counts.chipErases - baseline.chipErases
    pagePrograms = counts.pagePrograms - baseline.pagePrograms
    flashSeconds = Double(sectorErases) * timing.sectorErase + Double(blockErases) * timing.blockErase
      + Double(pagePrograms) * timing.pageProgram
      + Double(chipErases) * timing.chipErasePerMiB * Double(flash.size) / 1_048_576
  }

  /// One paragraph for `--stats`.
  public var summary: String {
    func seconds(_ value: Double) -> String {
      let hundredths = Int((value * 100).rounded())
      let fraction = hundredths % 100
      return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) s"
    }
    return """
      H>D \(hostToDeviceBytes) B in \(hostToDeviceFrames) frames (\(seconds(hostToDeviceSeconds))), \
      D>H \(deviceToHostBytes) B in \(deviceToHostFrames) frames (\(seconds(deviceToHostSeconds)))\
      \(noiseBytes > 0 ? ", \(noiseBytes) B outside frames" : ""); \
      flash \(seconds(flashSeconds)) (\(sectorErases) sector + \(blockErases) block + \(chipErases) chip erases, \
      \(pagePrograms) page programs); modelled total \(seconds(modelledSeconds))\
      \(idleSeconds > 0 ? " + \(seconds(idleSeconds)) waiting on timeouts" : "")
      """
  }
}
