import DeviceSimulator
import Foundation
import Testing
@testable import ESPLoader

/// Faults on the wire while writing 256 KiB, for the ESP8266 and the ESP32, through the ROM and the stub:
/// every transient fault must end with the right bytes in flash and a success (MD5-verified where the
/// loader can), every permanent one with an error naming the command, the block and the range left
/// unwritten. Byte positions count from the start of the write.
@Suite struct RecoveryFaultTests {
  static let size = 256 * 1024
  static let offset: UInt32 = 0x10_0000

  /// The transient faults of the issue: one flipped or dropped byte each way, a stalled reply, a 6 s
  /// reply delay, the link closed mid-write, the board killed and back, the chip reset mid-write.
  enum Transient: String, CaseIterable, Sendable {
    case flipReply, dropReply, flipRequest, dropRequest, stalledReply, delayedReply6s, linkClosed, boardKilled,
         chipReset
  }

  /// Wire length of one DATA reply: C0, 8 header bytes, 2 or 4 status bytes, C0.
  static func replyLength(_ chip: Chip, _ loader: FaultRig.Loader) -> Int {
    loader == .stub || chip == .esp8266 ? 12 : 14
  }

  static func faults(_ kind: Transient, replyLength: Int) -> [ByteFault] {
    switch kind {
    // The first status byte of the 4th reply (a harmless flip, say in the ignored size field, would prove
    // nothing), and the opening delimiter of the 4th reply, which loses that reply.
    case .flipReply: [ByteFault(.deviceToHost, atByte: 3 * replyLength + 9, .flip(0x04))]
    case .dropReply: [ByteFault(.deviceToHost, atByte: 3 * replyLength, .drop)]
    case .flipRequest: [ByteFault(.hostToDevice, atByte: 100_000, .flip(0x10))]
    case .dropRequest: [ByteFault(.hostToDevice, atByte: 100_001, .drop)]
    case .stalledReply: [ByteFault(.deviceToHost, atByte: 40, .stall(seconds: 30))]
    case .delayedReply6s: [ByteFault(.deviceToHost, atByte: 40, .stall(seconds: 6))]
    case .linkClosed, .boardKilled: [ByteFault(.hostToDevice, atByte: 120_000, .close)]
    case .chipReset: [ByteFault(.hostToDevice, atByte: 90_000, .reset)]
    }
  }

  @Test(arguments: [Chip.esp8266, .esp32], FaultRig.Loader.allCases)
  func everyTransientFaultEndsWithTheRightFlash(chip: Chip, loader: FaultRig.Loader) throws {
    var recovered: [String] = []
    for kind in Transient.allCases {
      let rig = try FaultRig(chip, loader: loader)
      if kind == .boardKilled { rig.reopenBehaviour = .rebootedBoard }
      let data = noise(Self.size, seed: UInt64(kind.rawValue.count) &* 7919)
      let result = rig.write(data, at: Self.offset, faults: Self.faults(kind, replyLength: Self.replyLength(chip, loader)))
      #expect(rig.link.allFaultsFired || rig.reopened > 0, "\(chip) \(loader) \(kind): the fault never fired")
      switch result {
      case .success(let written):
        #expect(rig.flash(at: Self.offset, count: data.count) == data, "\(chip) \(loader) \(kind): wrong flash")
        if chip == .esp8266 && loader == .rom {
          #expect(written.verification != .verified(md5: Flasher.md5Hex(data)))  // no MD5 in that ROM
        } else {
          #expect(written.verification == .verified(md5: Flasher.md5Hex(data)), "\(chip) \(loader) \(kind)")
        }
        if !rig.flasher.recoveries.isEmpty { recovered.append(kind.rawValue) }
      case .failure(let error):
        Issue.record("\(chip) \(loader) \(kind): \(error)")
      }
    }
    // Every fault above disturbs the transfer, so every one needed a recovery.
    #expect(recovered.count == Transient.allCases.count, "\(chip) \(loader): recovered \(recovered)")
  }

  /// One flipped byte at every position of one reply (delimiters, header, status): each must be survived.
  @Test(arguments: [Chip.esp8266, .esp32], FaultRig.Loader.allCases)
  func aFlipAnywhereInAReplyIsSurvived(chip: Chip, loader: FaultRig.Loader) throws {
    let replyLength = Self.replyLength(chip, loader)
    for position in 0..<replyLength {
      let rig = try FaultRig(chip, loader: loader)
      let data = noise(64 * 1024, seed: UInt64(position))
      let fault = ByteFault(.deviceToHost, atByte: 3 * replyLength + position, .flip(0x01))
      guard case .success = rig.write(data, at: 0x20_0000, faults: [fault]) else {
        Issue.record("\(chip) \(loader): flip at reply byte \(position) was not survived")
        continue
      }
      #expect(rig.flash(at: 0x20_0000, count: data.count) == data, "\(chip) \(loader) byte \(position)")
    }
  }

  @Test(arguments: [Chip.esp8266, .esp32])
  func aBoardThatIsGoneIsAPreciseError(chip: Chip) throws {
    let rig = try FaultRig(chip, loader: .stub)
    rig.reopenBehaviour = .gone
    let result = rig.write(noise(Self.size, seed: 1), at: Self.offset,
                           faults: [ByteFault(.hostToDevice, atByte: 120_000, .close)], compress: false)
    guard case .failure(let error) = result, case .writeInterrupted(let offset, let size, let upTo, _) = error else {
      Issue.record("expected writeInterrupted, got \(result)")
      return
    }
    #expect(offset == Self.offset && size == UInt32(Self.size))
    // 120 000 bytes ≈ 7 stub blocks of 16 KiB: what the stub surely wrote is below that, on a block boundary.
    #expect(upTo > Self.offset && upTo < Self.offset + 120_000 && (upTo - Self.offset) % 0x4000 == 0)
    #expect(error.description.contains("\(hexAddress(upTo))..\(hexAddress(Self.offset + UInt32(Self.size) - 1)) is not (fully) written"),
            "\(error)")
    #expect(error.description.contains("the virtual board is gone"), "\(error)")
    #expect(rig.reopened == 2)
  }

  @Test(arguments: [Chip.esp8266, .esp32], FaultRig.Loader.allCases)
  func aBoardThatNeverAnswersAgainIsAPreciseError(chip: Chip, loader: FaultRig.Loader) throws {
    let rig = try FaultRig(chip, loader: loader)
    rig.flasher.reopen = nil  // a port that cannot be reopened: the stall is permanent
    let result = rig.write(noise(64 * 1024, seed: 2), at: Self.offset,
                           faults: [ByteFault(.deviceToHost, atByte: 30, .stall(seconds: 1e9))])
    guard case .failure(let error) = result, case .writeInterrupted(_, _, _, let underlying) = error else {
      Issue.record("expected writeInterrupted, got \(result)")
      return
    }
    let text = error.description
    #expect(text.contains("no reply to"), "\(text)")
    #expect(text.contains("is not (fully) written"), "\(text)")
    if case .timeout = underlying {} else { Issue.record("underlying \(underlying)") }
  }

  @Test func recoveryOffReportsTheFirstFault() throws {
    let rig = try FaultRig(.esp32, loader: .rom)
    rig.flasher.recovery = .none
    let result = rig.write(noise(64 * 1024, seed: 3), at: Self.offset, faults: [ByteFault(.hostToDevice, atByte: 20_000, .flip(0x01))],
                           compress: false)
    guard case .failure(let error) = result else { Issue.record("succeeded without recovery"); return }
    #expect(error.description.contains("FLASH_DATA block"), "\(error)")
    #expect(error.description.contains("ROM error 0x107"), "\(error)")
  }

  @Test(arguments: [Chip.esp8266, .esp32])
  func aReadRecoversFromACorruptedPacket(chip: Chip) throws {
    let rig = try FaultRig(chip, loader: .stub)
    let data = noise(96 * 1024, seed: 4)
    guard case .success = rig.write(data, at: Self.offset, faults: []) else { Issue.record("write failed"); return }
    rig.link.arm([ByteFault(.deviceToHost, atByte: 5000, .flip(0x02))])
    #expect(try rig.flasher.readFlash(offset: Self.offset, size: data.count) == data)
    #expect(!rig.flasher.recoveries.isEmpty)
  }
}
