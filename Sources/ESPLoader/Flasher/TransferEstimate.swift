/// How long a transfer will take on a real UART, said before it starts, and what would make it faster.
///
/// Wire time is 10 bits per byte (8N1, no gaps) at the baud in use, as `rom-protocol.md` §11 estimates it;
/// flash time uses datasheet-typical figures for a 4 MB SPI NOR part (Winbond W25Q32JV: sector erase 45 ms,
/// page program 0.7 ms), the same the virtual board models. A lower bound: no USB latency, no CPU time.
public struct TransferEstimate: Sendable, Equatable {
  public struct Alternative: Sendable, Equatable {
    /// "with a flasher stub", "at 921600 baud".
    public var how: String
    public var seconds: Double
  }

  public var hostToDevice: Int
  public var deviceToHost: Int
  public var baud: Int
  public var flashSeconds: Double
  /// "ESP8266 ROM loader".
  public var loader: String
  public var alternatives: [Alternative] = []

  public static let sectorEraseSeconds = 0.045
  public static let pageProgramSeconds = 0.0007
  /// Transfers shorter than this go without an estimate.
  public static let worthSaying = 3.0
  /// The fastest rate esptool offers and USB-serial bridges commonly reach.
  public static let fastBaud = 921_600

  public init(hostToDevice: Int, deviceToHost: Int, baud: Int, flashSeconds: Double, loader: String) {
    self.hostToDevice = hostToDevice
    self.deviceToHost = deviceToHost
    self.baud = baud
    self.flashSeconds = flashSeconds
    self.loader = loader
  }

  public var seconds: Double { Self.wireSeconds(hostToDevice + deviceToHost, baud: baud) + flashSeconds }

  public static func wireSeconds(_ bytes: Int, baud: Int) -> Double { Double(bytes) * 10 / Double(max(baud, 1)) }

  /// 64 KiB block erase, typical (W25Q32JV: 150 ms); loaders use it for aligned whole blocks.
  public static let blockEraseSeconds = 0.150

  /// Erasing `range` of flash (addresses): whole aligned 64 KiB blocks as block erases, the rest by sector.
  static func eraseSeconds(_ range: Range<Int>) -> Double {
    let sector = WritePlan.sectorSize
    var at = range.lowerBound / sector * sector
    var seconds = 0.0
    while at < range.upperBound {
      if at % 0x10000 == 0, range.upperBound - at >= 0x10000 {
        seconds += blockEraseSeconds
        at += 0x10000
      } else {
        seconds += sectorEraseSeconds
        at += sector
      }
    }
    return seconds
  }

  /// "about 92 s at 115200 baud with the ESP8266 ROM loader; with a flasher stub about 9 s".
  public var message: String {
    var text = "about \(Self.format(seconds)) at \(baud) baud with the \(loader)"
    for alternative in alternatives {
      text += "; \(alternative.how) about \(Self.format(alternative.seconds))"
    }
    return text
  }

  static func format(_ seconds: Double) -> String {
    seconds < 10 ? "\(Int((seconds * 10).rounded()) / 10).\(Int((seconds * 10).rounded()) % 10) s"
      : "\(Int(seconds.rounded())) s"
  }

  /// Bytes a SLIP frame of `payload` bytes takes on the wire, with escapes counted from the data.
  static func frameBytes(header: Int, data: ArraySlice<UInt8>) -> Int {
    2 + header + data.count + data.reduce(0) { $0 + ($1 == 0xC0 || $1 == 0xDB ? 1 : 0) }
  }
}

extension Flasher {
  /// A reply without data: 8 header bytes, the status, 2 SLIP delimiters.
  var emptyReplyBytes: Int { 8 + statusLength + 2 }

  /// The estimate for carrying out `plan`: `payloads` are the bytes each write step sends (the deflate
  /// stream where compressed). Offers the flasher stub to an ESP8266 ROM user (`stubPayload`: the image
  /// deflated) and a faster baud where the loader can change it.
  func estimate(plan: WritePlan, payloads: [[UInt8]], compressedImage stubPayload: Int?, verifyQueries: Int)
    -> TransferEstimate {
    var h2d = 0
    var d2h = 0
    for step in plan.steps {
      if case .erase = step { h2d += 2 + 8 + 16; d2h += emptyReplyBytes }
    }
    let block = flashWriteBlockSize
    for payload in payloads {
      h2d += 2 + 8 + 20 + 2 + 8 + 4  // BEGIN and END
      d2h += 2 * emptyReplyBytes
      for start in stride(from: 0, to: payload.count, by: block) {
        h2d += TransferEstimate.frameBytes(header: 8 + 16, data: payload[start..<min(payload.count, start + block)])
        d2h += emptyReplyBytes
      }
    }
    h2d += verifyQueries * (2 + 8 + 16)
    d2h += verifyQueries * (emptyReplyBytes + (isStub ? 16 : 32))
    let pages = plan.writeRanges.reduce(0) { $0 + ($1.count + 255) / 256 }
    // The ESP8266 ROM's erase steps cover its writes too; elsewhere each write erases its own sectors.
    var erased: [Range<Int>] = plan.steps.compactMap {
      if case .erase(let at, let size, _) = $0 { return at..<(at + size) }
      return nil
    }
    if plan.shape == .sectors {
      erased += plan.writeRanges.map { (plan.offset + $0.lowerBound)..<(plan.offset + $0.upperBound) }
    }
    let flash = erased.reduce(0) { $0 + TransferEstimate.eraseSeconds($1) }
      + Double(pages) * TransferEstimate.pageProgramSeconds
    let baud = transport.baudRate
    var estimate = TransferEstimate(hostToDevice: h2d, deviceToHost: d2h, baud: baud, flashSeconds: flash,
                                    loader: loaderName)
    if isESP8266ROM, let stubPayload {
      // The stub upload itself (~12.8 KB, §9.2), then the deflated image in 16 KiB blocks, at the same baud.
      let bytes = 12_841 + stubPayload + stubPayload / 0x4000 * 40 + 200
      estimate.alternatives.append(.init(how: "with a flasher stub (install esptool or pass --stub PATH)",
                                         seconds: TransferEstimate.wireSeconds(bytes, baud: baud) + flash))
    }
    if !isESP8266ROM, baud < TransferEstimate.fastBaud {
      let fast = TransferEstimate.fastBaud
      estimate.alternatives.append(.init(how: "at -b \(fast)",
                                         seconds: TransferEstimate.wireSeconds(h2d + d2h, baud: fast) + flash))
    }
    return estimate
  }
}

extension Flasher {
  /// The estimate for reading `bytes` of flash in `reads` READ_FLASH calls plus `md5Queries` MD5s: the stub
  /// streams 4 KiB packets with a 6-byte ACK each (§7); the ESP32-family ROM needs an 18-byte command and a
  /// 64-byte reply per 64 bytes. The ESP8266 ROM cannot read (§5.2); its estimate is for the stub it needs.
  public func readEstimate(bytes: Int, reads: Int, md5Queries: Int) -> TransferEstimate {
    var h2d = md5Queries * (2 + 8 + 16)
    var d2h = md5Queries * (emptyReplyBytes + (isStub ? 16 : 32))
    if isStub || isESP8266ROM {
      let packets = (bytes + Self.readPacketSize - 1) / Self.readPacketSize
      h2d += reads * (2 + 8 + 16) + packets * (2 + 4)
      d2h += reads * (emptyReplyBytes + 2 + 16) + bytes + bytes / 128 + packets * 2
    } else {
      let commands = (bytes + 63) / 64
      h2d += commands * (2 + 8 + 8)
      d2h += commands * (2 + 8 + 64 + statusLength)
    }
    var estimate = TransferEstimate(hostToDevice: h2d, deviceToHost: d2h, baud: transport.baudRate, flashSeconds: 0,
                                    loader: loaderName)
    if !isESP8266ROM, transport.baudRate < TransferEstimate.fastBaud {
      estimate.alternatives.append(.init(how: "at -b \(TransferEstimate.fastBaud)",
                                         seconds: TransferEstimate.wireSeconds(h2d + d2h, baud: TransferEstimate.fastBaud)))
    }
    if !isStub && !isESP8266ROM {
      // The stub streams 4 KiB packets instead of 64-byte round trips: about 1.03 wire bytes per flash byte.
      estimate.alternatives.append(.init(how: "with the flasher stub",
                                         seconds: TransferEstimate.wireSeconds(7_037 + bytes * 103 / 100, baud: transport.baudRate)))
    }
    return estimate
  }
}
