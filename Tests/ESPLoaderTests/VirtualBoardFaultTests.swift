import DeviceSimulator
import Testing
@testable import ESPLoader

/// The flasher's failure reports when the virtual board's wire misbehaves: every failure names the command,
/// the block and the address, and a write that stops says what is left unwritten.
@Suite struct VirtualBoardFaultTests {
  static func failure<T>(_ body: () throws -> T) -> LoaderError? {
    do { _ = try body(); Issue.record("succeeded despite the fault"); return nil } catch {
      if let e = error as? LoaderError { return e }
      Issue.record("\(error)")
      return nil
    }
  }

  static func open(_ chip: Chip, stub: Bool) throws -> (VirtualBoardTransport, Flasher) {
    let transport = try VirtualBoardURL.openBoard("sim://\(chip.rawValue)?bootlog=0")
    let flasher = try Flasher.connect(transport: transport, options: ConnectOptions(before: .defaultReset), sleep: { _ in })
    if stub { try flasher.runStub(VirtualBoardFlasherTests.stub(for: chip)) }
    try flasher.prepareFlashAccess(end: 0x40_0000)
    return (transport, flasher)
  }

  static let data = VirtualBoardFlasherTests.pattern(10 * 1024, seed: 5)

  @Test func corruptedDataBlockIsAChecksumErrorWithBlockAndAddress() throws {
    let (transport, flasher) = try Self.open(.esp8266, stub: false)
    flasher.recovery = .none  // the report of the first fault (RecoveryFaultTests covers recovering)
    // FLASH_BEGIN is the next frame; corrupt a payload byte of data block 4 (frame +4).
    let index = transport.board.framesReceived + 4
    transport.board.faults.rules = [.init(.hostToDevice, frame: index, .corruptByte(at: 100, xor: 0x20))]
    let error = Self.failure { try flasher.writeFlash(Self.data, at: 0x30_0000) }
    let text = error?.description ?? ""
    #expect(text.contains("FLASH_DATA block 4 of 10 at 0x300C00 failed: ROM error 0x107"), "\(text)")
    guard case .writeInterrupted(_, _, let upTo, _)? = error else { Issue.record(Comment(rawValue: text)); return }
    #expect(upTo == 0x30_0C00)  // the ROM wrote blocks 1–3 before answering
  }

  @Test func deafBoardTimesOutNamingTheBlock() throws {
    let (transport, flasher) = try Self.open(.esp32, stub: false)
    let index = transport.board.framesReceived + 6
    transport.board.faults.rules = [.init(.hostToDevice, frame: index, .mute(frames: 1000))]
    let error = Self.failure { try flasher.writeFlash(Self.data, at: 0x1_0000, compress: false) }
    let text = error?.description ?? ""
    #expect(text.contains("no reply to FLASH_DATA block 6 of 10 at 0x11400 after 3 s"), "\(text)")
    #expect(text.contains("0x11400..0x127FF"), "\(text)")
  }

  @Test func chipResetMidWriteIsReportedWithTheUnwrittenRange() throws {
    let (transport, flasher) = try Self.open(.esp8266, stub: true)
    let index = transport.board.framesReceived + 2
    transport.board.faults.rules = [.init(.hostToDevice, frame: index, .reset(intoDownloadMode: false))]
    let error = Self.failure { try flasher.writeFlash(VirtualBoardFlasherTests.pattern(3 * 0x4000, seed: 1), at: 0x20_0000, compress: false) }
    guard case .writeInterrupted(let offset, _, let upTo, _)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(offset == 0x20_0000)
    #expect(upTo == 0x20_0000)  // a stub writes block 1 only while block 2 arrives: nothing is sure
  }

  @Test func lostSyncReplyIsRetried() throws {
    let transport = try VirtualBoardURL.openBoard("sim://esp8266?bootlog=0")
    // Drop the first two device→host frames: the first SYNC's first replies.
    transport.board.faults.rules = [.init(.deviceToHost, frame: transport.board.framesSent, .dropFrame),
                                    .init(.hostToDevice, frame: transport.board.framesReceived, .dropFrame)]
    let flasher = try Flasher.connect(transport: transport, options: ConnectOptions(before: .noReset), sleep: { _ in })
    #expect(flasher.chip == .esp8266)
  }

  @Test func corruptedReadPacketFailsTheMD5Check() throws {
    let (transport, flasher) = try Self.open(.esp32, stub: true)
    flasher.recovery = .none
    _ = try flasher.writeFlash(Self.data, at: 0x1_0000)
    // READ_FLASH reply, then the first data packet: flip a byte inside the packet.
    let index = transport.board.framesSent + 1
    transport.board.faults.rules = [.init(.deviceToHost, frame: index, .corruptByte(at: 50, xor: 0x01))]
    let error = Self.failure { try flasher.readFlash(offset: 0x1_0000, size: Self.data.count) }
    guard case .readChecksumMismatch(let offset, let size, _, _)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(offset == 0x1_0000 && size == UInt32(Self.data.count))
  }

  @Test func noisyLinkStillConnectsOrSaysWhatWasTried() throws {
    let transport = try VirtualBoardURL.openBoard("sim://esp32?bootlog=1")
    transport.board.faults.deviceToHostByteErrorRate = 1.0  // every byte garbled: nothing can sync
    let error = Self.failure {
      try Flasher.connect(transport: transport, options: ConnectOptions(before: .defaultReset, attempts: 4), sleep: { _ in })
    }
    guard case .connectFailed(_, let tried, _)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(tried.count == 4)
    #expect(tried[0].contains("UnixTightReset") && tried[2].contains("ClassicReset"))
  }
}
