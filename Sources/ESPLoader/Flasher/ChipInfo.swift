/// What `board-info` reports.
public struct BoardInfo: Sendable, Equatable {
  public var chip: Chip
  public var loader: String
  public var mac: [UInt8]
  public var crystalMHz: Int?
  public var flashID: UInt32
  public var flashSize: Int?

  public var macString: String { mac.map { hex($0).lowercased() }.joined(separator: ":") }
  public var manufacturer: UInt8 { UInt8(flashID & 0xFF) }
  /// esptool's "device" field: memory type and capacity bytes (§4.3).
  public var device: UInt16 { UInt16((flashID >> 16) & 0xFF) | UInt16((flashID >> 8) & 0xFF) << 8 }
}

extension Flasher {
  /// The station MAC address (§4.2: ESP8266 OUI rules; ESP32 efuse words 1–2 minus the CRC byte pair).
  public func readMAC() throws(LoaderError) -> [UInt8] {
    guard !secureDownloadMode else {
      throw .unsupported(operation: "reading the MAC", loader: loaderName,
                         reason: "register access is refused in Secure Download Mode",
                         remedy: "nothing on the host can lift it: Secure Download Mode is an efuse setting")
    }
    switch chip.descriptor.mac {
    case .esp8266OTP(let mac0Register, let mac1Register, let mac3Register):
      let mac0 = try readRegister(mac0Register)
      let mac1 = try readRegister(mac1Register)
      let mac3 = try readRegister(mac3Register)
      let oui: [UInt8]
      if mac3 != 0 {
        oui = [UInt8((mac3 >> 16) & 0xFF), UInt8((mac3 >> 8) & 0xFF), UInt8(mac3 & 0xFF)]
      } else if (mac1 >> 16) & 0xFF == 0 {
        oui = [0x18, 0xFE, 0x34]
      } else if (mac1 >> 16) & 0xFF == 1 {
        oui = [0xAC, 0xD0, 0x74]
      } else {
        throw .malformedReply(command: "READ_REG", reason: "unknown ESP8266 OUI in efuse word \(hexAddress(mac1))")
      }
      return oui + [UInt8((mac1 >> 8) & 0xFF), UInt8(mac1 & 0xFF), UInt8((mac0 >> 24) & 0xFF)]
    case .esp32Efuse(let base):
      let word1 = try readRegister(base + 4)
      let word2 = try readRegister(base + 8)
      let bytes = Command.words([word2]).reversed() + Command.words([word1]).reversed()
      return Array(bytes.dropFirst(2))
    case .macEfuse(let register):
      let low = try readRegister(register)
      let high = try readRegister(register + 4)
      return [UInt8((high >> 8) & 0xFF), UInt8(high & 0xFF)] + Command.words([low]).reversed()
    }
  }

  /// The ESP8266's chip id (`(mac0>>24) | ((mac1&0xFFFFFF)<<8)`, §4.2); nil on other chips.
  public func readESP8266ChipID() throws(LoaderError) -> UInt32? {
    guard chip == .esp8266 else { return nil }
    let mac0 = try readRegister(0x3FF0_0050)
    let mac1 = try readRegister(0x3FF0_0054)
    return (mac0 >> 24) | ((mac1 & 0xFF_FFFF) << 8)
  }

  /// The crystal from the UART divider the ROM autobauded to (§4.2), normalised to 26 or 40 MHz.
  /// Only meaningful while the host still runs at the rate SYNC used.
  public func readCrystalMHz(atBaud baud: Int) throws(LoaderError) -> Int? {
    // esptool measures the crystal this way on the ESP8266, ESP32 and C2; the other chips' classes return a
    // fixed value without asking the board.
    guard [.esp8266, .esp32, .esp32c2].contains(chip) else { return nil }
    let facts = chip.descriptor
    let clkdiv = try readRegister(facts.uartClockDividerRegister) & 0xF_FFFF
    let mhz = Double(baud) * Double(clkdiv) / 1e6 / Double(facts.xtalClockDivider)
    guard mhz > 0 else { return nil }
    return mhz > 33 ? 40 : 26
  }

  /// Lets the loader reach the SPI flash: ESP8266 ROM via FLASH_BEGIN(0,0), ESP32-family ROM via SPI_ATTACH
  /// (the plain ESP32 with its efuse pad configuration, which in-package flash such as PICO-D4 or D2WD
  /// needs); stubs attach on their own (§4.3). Then, as esptool's `attach_flash` does: the XMC boot-up
  /// check and fix, and a flash soft reset (not in Secure Download Mode).
  public func attachFlash() throws(LoaderError) {
    guard !flashAttached else { return }
    if !isStub {
      if chip == .esp8266 {
        try connection.command(.flashBegin(eraseSize: 0, blocks: 0, blockSize: 0x400, offset: 0, encrypt: nil),
                               context: "(attaching the flash)")
      } else {
        let config = try spiPadConfiguration()
        try connection.command(.spiAttach(config: config, romForm: true))
      }
    }
    flashAttached = true
    guard !secureDownloadMode, !isESP8266ROM else { return }
    try xmcStartup()
    // Reset enable + reset: clears states an application left in the flash (esptool: "e.g. 120M boot up").
    _ = try spiFlashCommand(0x66, readBits: 0)
    _ = try spiFlashCommand(0x99, readBits: 0)
  }

  /// The ESP32's SPI pad efuses packed as SPI_ATTACH takes them (`hd<<24 | cs<<18 | d<<12 | q<<6 | clk`);
  /// 0 (the default pins) on the other chips and in Secure Download Mode.
  func spiPadConfiguration() throws(LoaderError) -> UInt32 {
    guard !secureDownloadMode, let pads = chip.descriptor.spiPadEfuses else { return 0 }
    let r5 = try readRegister(pads.rdata5)
    let r3 = try readRegister(pads.rdata3)
    let clk = r5 & 0x1F, q = (r5 >> 5) & 0x1F, d = (r5 >> 10) & 0x1F, cs = (r5 >> 15) & 0x1F, hd = (r3 >> 4) & 0x1F
    let config = hd << 24 | cs << 18 | d << 12 | q << 6 | clk
    if config != 0 {
      diagnostics("Attaching the flash with the efuse SPI pad configuration (CLK:\(clk), Q:\(q), D:\(d), HD:\(hd), CS:\(cs)).")
    }
    return config
  }

  /// XMC flash parts sometimes fail to wake up: when RDID does not show a valid XMC id but the SFDP table
  /// names XMC (0x20), run the wake-up sequence (deep power-down, ultra-deep, exit, release) and check again.
  func xmcStartup() throws(LoaderError) {
    if Self.isXMC(try spiFlashCommand(0x9F, readBits: 24)) { return }
    let vendor = try spiFlashCommand(0x5A, readBits: 8, address: 0x10, addressBits: 24, dummyBits: 8) & 0xFF
    guard vendor == 0x20 else { return }
    diagnostics("Warning: XMC flash boot-up failure detected; running the XMC start-up sequence.")
    for command: UInt8 in [0xB9, 0x79, 0xFF] { _ = try spiFlashCommand(command, readBits: 0) }
    sleep(0.002)
    _ = try spiFlashCommand(0xAB, readBits: 0)
    sleep(0.00002)
    if Self.isXMC(try spiFlashCommand(0x9F, readBits: 24)) {
      diagnostics("XMC flash boot-up fix successful.")
    } else {
      diagnostics("Warning: could not confirm the XMC flash boot-up fix; the flash may not work.")
    }
  }

  /// esptool's strict XMC id check: vendor 0x20 and a known memory type/capacity.
  static func isXMC(_ id: UInt32) -> Bool {
    guard id & 0xFF == 0x20 else { return false }
    let type = (id >> 8) & 0xFF, capacity = (id >> 16) & 0xFF
    switch type {
    case 0x40: return (0x13...0x20).contains(capacity)
    case 0x41: return (0x17...0x20).contains(capacity)
    case 0x50: return (0x15...0x16).contains(capacity)
    default: return false
    }
  }

  /// Runs one SPI flash command through the controller registers and returns up to 32 bits read (§4.3),
  /// with an optional address phase and dummy cycles (SFDP reads).
  public func spiFlashCommand(_ command: UInt8, readBits: Int, address: UInt32? = nil, addressBits: Int = 0,
                              dummyBits: Int = 0) throws(LoaderError) -> UInt32 {
    let regs = chip.spiRegisters
    let oldUSR = try readRegister(regs.usr)
    let oldUSR2 = try readRegister(regs.usr2)
    if let miso = regs.misoDataLength {
      if readBits > 0 { try writeRegister(miso, UInt32(readBits - 1)) }
      var flags: UInt32 = 0
      if dummyBits > 0 { flags |= UInt32(dummyBits - 1) }
      if addressBits > 0 { flags |= UInt32(addressBits - 1) << 26 }
      if flags != 0 { try writeRegister(regs.usr1, flags) }
    } else {
      // ESP8266: bit lengths live in USR1 (MISO at bit 8, MOSI at bit 17, address at bit 26).
      var flags = UInt32(max(readBits - 1, 0)) << 8
      if addressBits > 0 { flags |= UInt32(addressBits - 1) << 26 }
      try writeRegister(regs.usr1, flags)
    }
    var usr: UInt32 = 1 << 31  // COMMAND phase
    if readBits > 0 { usr |= 1 << 28 }  // MISO phase
    if addressBits > 0 { usr |= 1 << 30 }
    if dummyBits > 0 { usr |= 1 << 29 }
    try writeRegister(regs.usr, usr)
    try writeRegister(regs.usr2, (7 << 28) | UInt32(command))
    if let address, addressBits > 0 {
      let aligned = chip.descriptor.spiAddressMSBAligned ? address << UInt32(32 - addressBits) : address
      try writeRegister(regs.addr, aligned)
    }
    try writeRegister(regs.w0, 0)
    try writeRegister(regs.cmd, 1 << 18)  // SPI_CMD_USR: start
    var done = false
    for _ in 0..<10 where !done {
      done = try readRegister(regs.cmd) & (1 << 18) == 0
    }
    guard done else {
      throw .malformedReply(command: "READ_REG", reason: "SPI flash command 0x\(hex(command)) never finished")
    }
    let result = try readRegister(regs.w0)
    try writeRegister(regs.usr, oldUSR)
    try writeRegister(regs.usr2, oldUSR2)
    return result
  }

  /// The JEDEC id (RDID 0x9F), after attaching the flash.
  public func readFlashID() throws(LoaderError) -> UInt32 {
    guard !secureDownloadMode else {
      throw .unsupported(operation: "reading the flash id", loader: loaderName,
                         reason: "register access is refused in Secure Download Mode",
                         remedy: "pass --flash-size to say how large the flash is")
    }
    try attachFlash()
    return try spiFlashCommand(0x9F, readBits: 24)
  }

  /// The flash size the JEDEC id announces (§4.3 table; Adesto special case); nil when unknown.
  public static func flashSize(fromJEDEC id: UInt32) -> Int? {
    let manufacturer = id & 0xFF
    if manufacturer == 0x1F {
      let code = (id >> 8) & 0x1F
      guard (0x04...0x09).contains(code) else { return nil }
      return (512 * 1024) << Int(code - 4)
    }
    let sizeID = (id >> 16) & 0xFF
    switch sizeID {
    case 0x12...0x1C: return (256 * 1024) << Int(sizeID - 0x12)
    case 0x32...0x3A: return (256 * 1024) << Int(sizeID - 0x32)
    case 0x20...0x22: return (64 << 20) << Int(sizeID - 0x20)
    default: return nil
    }
  }

  /// Reads the JEDEC id once and remembers the size; falls back to 4 MB like esptool's `detect` (§4.3).
  @discardableResult
  public func detectFlashSize() throws(LoaderError) -> Int {
    if let detectedFlashSize { return detectedFlashSize }
    let id = try readFlashID()
    // All ones or all zeros: nothing answered on the SPI bus (a wrong pad configuration, an unpowered or
    // broken flash). Assuming 4 MB then would write blind; say it instead.
    if id & 0xFF_FFFF == 0xFF_FFFF || id & 0xFF_FFFF == 0 {
      throw .unreadableFlashID(id: id, chip: chip)
    }
    let size = Flasher.flashSize(fromJEDEC: id)
    if size == nil {
      diagnostics("Warning: flash id \(hexAddress(id)) gives no known size; assuming 4MB (pass --flash-size to say).")
    }
    detectedFlashSize = size ?? 4 << 20
    return detectedFlashSize!
  }

  /// SPI_SET_PARAMS with the flash size, which ESP32 ROMs need above 2 MB; the ESP8266 ROM lacks it (§5.1).
  public func setFlashParameters(size: Int) throws(LoaderError) {
    guard !isESP8266ROM, parametersSentFor != size else { return }
    try attachFlash()
    try connection.command(.spiSetParams(totalSize: UInt32(clamping: size)))
    parametersSentFor = size
  }

  /// Everything `board-info` shows.
  public func boardInfo(hostBaud: Int) throws(LoaderError) -> BoardInfo {
    let mac = try readMAC()
    let xtal = try readCrystalMHz(atBaud: hostBaud)
    let id = try readFlashID()
    let size = Flasher.flashSize(fromJEDEC: id)
    if detectedFlashSize == nil { detectedFlashSize = size }
    return BoardInfo(chip: chip, loader: loaderName, mac: mac, crystalMHz: xtal, flashID: id, flashSize: size)
  }
}
