import DeviceSimulator
import Foundation
import Testing
@testable import ESPLoader

/// A flasher on the virtual board behind a `FaultInjectingTransport`, with a `reopen` that finds the same
/// board again (or, once the board is "killed", a fresh one on the same flash, or nothing at all).
final class FaultRig {
  enum Loader: String, CaseIterable, Sendable { case rom, stub }

  let chip: Chip
  var board: VirtualBoard
  var link: FaultInjectingTransport
  let flasher: Flasher
  /// What `reopen` does: reach the same board, a rebooted board on the same flash, or fail (board gone).
  enum Reopen { case sameBoard, rebootedBoard, gone }
  var reopenBehaviour = Reopen.sameBoard
  var reopened = 0

  init(_ chip: Chip, loader: Loader, baud: Int = 460_800) throws {
    self.chip = chip
    board = VirtualBoard(configuration: BoardConfiguration(chip: chip, bootLog: false))
    link = FaultInjectingTransport(VirtualBoardTransport(board: board), faults: [])
    flasher = try Flasher.connect(transport: link, options: ConnectOptions(before: .defaultReset), sleep: { _ in })
    if loader == .stub { try flasher.runStub(VirtualBoardFlasherTests.stub(for: chip)) }
    if chip != .esp8266 || loader == .stub { try flasher.changeBaudRate(baud) }
    flasher.recovery.reopenDelay = 0
    flasher.recovery.reopenAttempts = 2
    flasher.reopen = { [unowned self] in
      self.reopened += 1
      switch self.reopenBehaviour {
      case .sameBoard:
        break
      case .rebootedBoard:
        self.board = VirtualBoard(configuration: self.board.configuration, flash: self.board.flash)
      case .gone:
        throw TransportError.cannotOpen(name: "sim://", errno: 2, detail: "the virtual board is gone")
      }
      self.link = FaultInjectingTransport(VirtualBoardTransport(board: self.board), faults: [])
      return self.link
    }
    try flasher.prepareFlashAccess(end: 0x40_0000)
  }

  /// Writes `data` with `faults` armed relative to now; returns the result or the error.
  func write(_ data: [UInt8], at offset: UInt32, faults: [ByteFault], compress: Bool = true)
    -> Result<WriteResult, LoaderError> {
    link.arm(faults)
    do throws(LoaderError) { return .success(try flasher.writeFlash(data, at: offset, compress: compress)) } catch {
      return .failure(error)
    }
  }

  /// The flash as the board has it (the current board after a reboot).
  func flash(at offset: UInt32, count: Int) -> [UInt8] { board.flash.read(at: Int(offset), count: count) }
}

/// Incompressible bytes, so every block carries real data.
func noise(_ count: Int, seed: UInt64) -> [UInt8] {
  var state = seed
  return (0..<count).map { _ in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return UInt8(truncatingIfNeeded: state >> 33)
  }
}
