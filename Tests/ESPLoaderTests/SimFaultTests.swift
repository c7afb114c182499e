import DeviceSimulator
import ESPLoader
import Foundation
import Testing

@Suite("Virtual board: faults, wire meter, reset lines, sim:// URLs")
struct SimFaultTests {
  @Test("a dropped device→host frame means a missing reply; a corrupted one no longer decodes as a reply")
  func deviceToHostFaults() {
    let harness = SimHarness(.esp8266)
    let next = harness.board.framesSent
    harness.board.faults = FaultPlan(rules: [
      .init(.deviceToHost, frame: next, .dropFrame),
      .init(.deviceToHost, frame: next + 1, .corruptByte(at: 1, xor: 0x01)),
    ])
    let frames = harness.exchange(SimWire.request(0x08, SimWire.syncData))
    // 8 sent, one lost: 7 frames arrive; in one the direction byte 01 became 00, so it is not a reply.
    #expect(frames.count == 7)
    #expect(frames.compactMap(SimReply.init).count == 6)
    #expect(frames.filter { $0.first == 0x00 }.count == 1)
  }

  @Test("a corrupted host→device payload byte is caught by the data checksum (0x07)")
  func hostToDeviceCorruption() {
    let harness = SimHarness(.esp8266, flashSize: 1 << 20)
    _ = harness.command(0x02, SimWire.u32(0x1000, 1, 0x400, 0))
    harness.board.faults = FaultPlan(rules: [.init(.hostToDevice, frame: harness.board.framesReceived,
                                                   .corruptByte(at: 100, xor: 0x40))])
    let reply = harness.exchange(SimWire.dataBlock(0x03, [UInt8](repeating: 7, count: 0x400), seq: 0))
    #expect(reply.compactMap(SimReply.init).first?.data == [1, 0x07])
    #expect(harness.board.flash.read(at: 0, count: 0x400).allSatisfy { $0 == 0xFF })
  }

  @Test("mute: commands run but their replies are lost for N frames")
  func muteFrames() {
    let harness = SimHarness(.esp32)
    harness.board.faults = FaultPlan(rules: [.init(.hostToDevice, frame: harness.board.framesReceived, .mute(frames: 2))])
    #expect(harness.command(0x0D, SimWire.u32(0, 0)).isEmpty)
    #expect(harness.command(0x0A, SimWire.u32(0x4000_1000)).isEmpty)
    #expect(harness.command(0x0A, SimWire.u32(0x4000_1000)).first?.value == 0x00F0_1D83)
    // The muted SPI_ATTACH still took effect.
    #expect(harness.command(0x13, SimWire.u32(0, 0x1000, 0, 0)).first?.data.count == 36)
  }

  @Test("a reset in the middle of a stub write drops back to the ROM: DATA is refused, boot log appears")
  func resetMidTransfer() {
    let harness = SimHarness(.esp8266, flashSize: 1 << 20, bootLog: true)
    harness.enterStub()
    _ = harness.command(0x02, SimWire.u32(0x8000, 2, 0x4000, 0))
    _ = harness.exchange(SimWire.dataBlock(0x03, [UInt8](repeating: 1, count: 0x4000), seq: 0))
    harness.board.faults = FaultPlan(rules: [.init(.hostToDevice, frame: harness.board.framesReceived,
                                                   .reset(intoDownloadMode: true))])
    #expect(harness.exchange(SimWire.dataBlock(0x03, [UInt8](repeating: 2, count: 0x4000), seq: 1)).isEmpty)
    #expect(harness.board.state == .romLoader)
    #expect(String(decoding: harness.noise, as: UTF8.self).contains("boot mode:(1,7)"))
    let reply = harness.exchange(SimWire.dataBlock(0x03, [UInt8](repeating: 2, count: 0x4000), seq: 1))
    #expect(reply.compactMap(SimReply.init).first?.data == [1, 0x01])
    #expect(harness.sync().first?.value != 0)
  }

  @Test("wire meter: bytes and frames each way, 10 bits per byte at the baud, flash time from erases")
  func wireMeter() {
    let board = VirtualBoard(configuration: BoardConfiguration(chip: .esp8266, flashSize: 1 << 20, bootLog: false))
    let transport = VirtualBoardTransport(board: board)
    let harness = SimTransportHarness(transport)
    let sync = SimWire.request(0x08, SimWire.syncData)
    let begin = SimWire.request(0x02, SimWire.u32(0x2000, 0, 0x400, 0))
    #expect(harness.frames(after: sync).count == 8)
    #expect(harness.frames(after: begin).count == 1)
    let meter = board.meter
    #expect(meter.hostToDeviceBytes == sync.count + begin.count)
    #expect(meter.hostToDeviceFrames == 2)
    #expect(meter.deviceToHostFrames == 9)
    #expect(meter.deviceToHostBytes == 9 * 12)  // C0 + 8 header + 2 status + C0, nothing to escape
    #expect(abs(meter.wireSeconds - Double(meter.hostToDeviceBytes + meter.deviceToHostBytes) * 10 / 115_200) < 1e-9)
    // erase_size 0x2000 at 0 → the ROM bug erases 4 sectors.
    #expect(meter.sectorErases == 4)
    #expect(abs(meter.flashSeconds - 4 * 0.045) < 1e-9)
    #expect(meter.summary.contains("H>D \(meter.hostToDeviceBytes) B"))
  }

  @Test("DTR/RTS classic reset: IO0 low boots the ROM loader with a 74880-baud log (garbage at 115200)")
  func classicResetIntoDownloadMode() {
    let board = VirtualBoard(configuration: BoardConfiguration(chip: .esp8266), startInDownloadMode: false)
    let transport = VirtualBoardTransport(board: board)
    let harness = SimTransportHarness(transport)
    #expect(board.state == .userCode)
    #expect(harness.command(0x08, SimWire.syncData).isEmpty)
    // esptool ClassicReset: DTR=0 RTS=1 (EN low), DTR=1 RTS=0 (IO0 low, EN high), DTR=0.
    try? transport.setControlLines(dtr: false, rts: true)
    #expect(board.state == .inReset)
    try? transport.setControlLines(dtr: true, rts: false)
    try? transport.setControlLines(dtr: false, rts: nil)
    #expect(board.state == .romLoader)
    let garbage = (try? transport.read(maxCount: 4096, timeout: 0.1)) ?? []
    #expect(!garbage.isEmpty)
    #expect(!String(decoding: garbage, as: UTF8.self).contains("ets Jan"))
    #expect(harness.command(0x08, SimWire.syncData).count == 8)
    // A reset with IO0 high runs the (blank) flash: the loader is gone.
    try? transport.setControlLines(dtr: false, rts: true)
    try? transport.setControlLines(dtr: false, rts: false)
    #expect(board.state == .userCode)
  }

  @Test("the ESP8266 boot log is readable at 74880 baud")
  func bootLogReadableAtItsBaud() throws {
    let transport = try VirtualBoardURL.openBoard("sim://esp8266")
    try transport.setBaudRate(74_880)
    let text = String(decoding: try transport.read(maxCount: 4096, timeout: 0.1), as: UTF8.self)
    #expect(text.contains("ets Jan  8 2013,rst cause:1, boot mode:(1,7)"))
  }

  @Test("sim:// image persistence: written at close, loaded at the next open; size mismatch is an error")
  func imagePersistence() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simtest-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("board.bin").path
    let url = "sim://esp32?flash=2MB&image=\(path)&bootlog=0"
    let first = try VirtualBoardURL.openBoard(url)
    let writer = SimTransportHarness(first)
    _ = writer.command(0x0D, SimWire.u32(0, 0))
    _ = writer.command(0x02, SimWire.u32(0x1000, 1, 0x400, 0x1000))
    let payload: [UInt8] = (0..<0x400).map { (index: Int) -> UInt8 in UInt8(truncatingIfNeeded: index) }
    #expect(writer.frames(after: SimWire.dataBlock(0x03, payload, seq: 0)).compactMap(SimReply.init).first?.data == [0, 0, 0, 0])
    first.close()
    let saved = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(saved.count == 2 << 20)
    #expect(Array(saved[0x1000..<0x1400]) == payload)
    let second = try VirtualBoardURL.openBoard(url)
    #expect(second.board.flash.read(at: 0x1000, count: 0x400) == payload)
    second.close()
    #expect(throws: TransportError.self) { _ = try VirtualBoardURL.open("sim://esp32?flash=4MB&image=\(path)") }
    #expect(throws: TransportError.self) { _ = try VirtualBoardURL.open("sim://esp9000") }
    #expect(throws: TransportError.self) { _ = try VirtualBoardURL.open("sim://esp8266?flash=3MB") }
  }
}
