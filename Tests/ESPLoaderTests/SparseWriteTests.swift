import DeviceSimulator
import Foundation
import Testing
import TestSupport
@testable import ESPLoader

/// The sparse write (`WritePlan`, `writeSparse`) on the virtual board: after every path the partition equals
/// the image byte for byte and every byte outside it is what it was, on flash that held other data before
/// (so a missed erase or an erase outside the partition shows).
@Suite struct SparseWriteTests {
  enum Loader: String, CaseIterable { case rom, stub }

  /// A board whose whole flash holds seeded non-0xFF bytes.
  static func open(_ chip: Chip, loader: Loader, seed: UInt64) throws -> (VirtualBoard, Flasher) {
    var rng = SplitMix64(seed: seed)
    // Bit 7 clear everywhere: no byte is 0xFF, so a missed erase always shows.
    let words = (0..<(4 << 20) / 8).map { _ in rng.next() & 0x7F7F_7F7F_7F7F_7F7F }
    let garbage = words.withUnsafeBytes { Array($0) }
    let board = VirtualBoard(configuration: BoardConfiguration(chip: chip), flash: NORFlash(contents: garbage))
    let transport = VirtualBoardTransport(board: board, name: "sim://\(chip.rawValue)")
    let flasher = try Flasher.connect(transport: transport, options: ConnectOptions(before: .noReset, chip: chip),
                                      sleep: { _ in })
    if loader == .stub { try flasher.runStub(VirtualBoardFlasherTests.stub(for: chip)) }
    return (board, flasher)
  }

  /// An image of random runs: 0xFF runs and data runs whose lengths and starts fall anywhere (mid-block,
  /// one byte, whole sectors), data that itself contains 0xFF bytes and SLIP specials.
  static func awkwardImage(size: Int, seed: UInt64) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    var image: [UInt8] = []
    while image.count < size {
      let blank = rng.next() % 2 == 0
      let length = [1, 3, 255, 1023, 1024, 1025, 4095, 4096, 4097, 9000][Int(rng.next() % 10)]
      image += (0..<length).map { _ in blank ? 0xFF : [0xC0, 0xDB, 0xFF, rng.byte()][Int(rng.next() % 4)] }
    }
    return Array(image.prefix(size))
  }

  static func check(_ board: VirtualBoard, before: [UInt8], image: [UInt8], at offset: Int) {
    let after = board.flash.bytes
    #expect(Array(after[offset..<(offset + image.count)]) == image, "the partition differs from the image")
    let end = (offset + image.count + 0xFFF) / 0x1000 * 0x1000
    #expect(after[..<offset] == before[..<offset], "flash before the partition changed")
    #expect(after[end...] == before[end...], "flash after the partition changed")
  }

  /// Every sector count 2…40 from every position in a 64 KiB block: the ROM's bug model (the simulator's
  /// independent copy) erases exactly the run, never a sector outside it.
  @Test func eraseCoverIsExactUnderTheBugModel() {
    for first in 0..<32 {
      for count in 2...40 {
        guard let commands = ESP8266EraseCover.commands(firstSector: 0x300 + first, count: count) else {
          Issue.record("no cover for \(count) sectors at \(first)")
          continue
        }
        var erased = Set<Int>()
        for command in commands {
          let span = ESP8266EraseBug.erasedSectors(offset: UInt32(command.sector * 0x1000), eraseSize: command.eraseSize)
          #expect(span.count == command.sectors)
          erased.formUnion(span.first..<(span.first + span.count))
        }
        #expect(erased == Set((0x300 + first)..<(0x300 + first + count)), "sectors \(first)+\(count)")
      }
    }
    #expect(ESP8266EraseCover.commands(firstSector: 5, count: 1) == nil)
  }

  /// Partitions that start and end at awkward sectors (mid 64 KiB block, odd counts shorter than the
  /// block's rest: esptool's erase size would erase one sector after them) next to data that must survive.
  @Test(arguments: [(0x30_F000, 0x3000), (0x30_E000, 0x3000), (0x30_1000, 0x1_D000), (0x30_0000, 0xFA000),
                    (0xEB000, 0x10000)])
  func esp8266ROMWritesOnlyDataAndErasesExactly(offset: Int, size: Int) throws {
    let seed = UInt64(offset ^ size)
    print("seed \(seed)")
    let (board, flasher) = try Self.open(.esp8266, loader: .rom, seed: seed)
    let before = board.flash.bytes
    let image = Self.awkwardImage(size: size, seed: seed)
    let result = try flasher.writeSparse(image, at: UInt32(offset))
    Self.check(board, before: before, image: image, at: offset)
    let plan = try WritePlan(image: image, offset: offset, shape: .esp8266ROM)
    #expect(result.writtenBytes == plan.writtenBytes)
    let dataBlocks = stride(from: 0, to: image.count, by: 0x400).filter {
      image[$0..<min(image.count, $0 + 0x400)].contains { $0 != 0xFF }
    }.count
    #expect(result.writtenBytes <= dataBlocks * 0x400)
    guard case .notVerified = result.verification else { Issue.record("ESP8266 ROM claimed to verify"); return }
  }

  @Test(arguments: [Chip.esp8266, .esp32], Loader.allCases)
  func writesEqualTheImageAndSkipWhatTheBoardHolds(chip: Chip, loader: Loader) throws {
    if chip == .esp8266 && loader == .rom { return }  // covered above: no MD5 on that loader
    let offset = 0x30_1000
    let (board, flasher) = try Self.open(chip, loader: loader, seed: 9)
    let before = board.flash.bytes
    var image = Self.awkwardImage(size: 0x2_3000, seed: 9)
    let first = try flasher.writeSparse(image, at: UInt32(offset))
    Self.check(board, before: before, image: image, at: offset)
    guard case .verified = first.verification else { Issue.record("not verified"); return }

    // Unchanged: one MD5, nothing erased or written.
    let sent = board.meter.hostToDeviceBytes
    let again = try flasher.writeSparse(image, at: UInt32(offset))
    #expect(again.compareQueries == 1 && again.writtenBytes == 0 && again.eraseOnlyBytes == 0)
    #expect(board.meter.hostToDeviceBytes - sent < 100)

    // One byte in one sector changed: only that sector is written.
    image[0x1_2345] = image[0x1_2345] == 0 ? 1 : 0
    let one = try flasher.writeSparse(image, at: UInt32(offset))
    Self.check(board, before: before, image: image, at: offset)
    #expect(one.writtenBytes + one.eraseOnlyBytes == 0x1000)

    // A sector blanked in the image is erased without data.
    for i in 0x2_0000..<0x2_1000 { image[i] = 0xFF }
    let blanked = try flasher.writeSparse(image, at: UInt32(offset))
    Self.check(board, before: before, image: image, at: offset)
    #expect(blanked.eraseOnlyBytes == 0x1000 && blanked.writtenBytes == 0)

    // --no-skip: everything is planned again, and the flash still equals the image.
    let all = try flasher.writeSparse(image, at: UInt32(offset), options: SparseWriteOptions(skipUnchanged: false))
    #expect(all.compareQueries == 0 && all.writtenBytes + all.eraseOnlyBytes == image.count)
    Self.check(board, before: before, image: image, at: offset)
  }

  @Test func planRefusesAnUnalignedStart() {
    #expect(throws: LoaderError.self) { try WritePlan(image: [1, 2, 3], offset: 0x1001, shape: .sectors) }
  }

  @Test func estimateNamesTheLoaderAndTheStub() throws {
    let (_, flasher) = try Self.open(.esp8266, loader: .rom, seed: 1)
    let image = Self.awkwardImage(size: 0xFA000, seed: 1)
    var said: TransferEstimate?
    _ = try flasher.writeSparse(image, at: 0x30_0000, estimate: { said = $0 })
    let estimate = try #require(said)
    #expect(estimate.message.contains("at 115200 baud with the ESP8266 ROM loader"))
    #expect(estimate.alternatives.contains { $0.how.contains("flasher stub") && $0.seconds < estimate.seconds })
    #expect(estimate.hostToDevice > image.filter { $0 != 0xFF }.count)
  }
}

extension SparseWriteTests {
  /// Alternating data and blank sectors (an unused SPIFFS block: lookup page, then nothing) become one write
  /// when deflating, so the loader can erase whole 64 KiB blocks; a long blank run stays erase-only.
  @Test func shortBlankGapsJoinTheWriteLongOnesAreErased() throws {
    var image = [UInt8](repeating: 0xFF, count: 64 * 0x1000)
    for sector in stride(from: 0, to: 20, by: 2) { image[sector * 0x1000] = 0 }
    image[63 * 0x1000] = 0
    let merged = try WritePlan(image: image, offset: 0x30_0000, shape: .sectors, mergeGapSectors: 16)
    #expect(merged.writeRanges == [0..<(19 * 0x1000), (63 * 0x1000)..<(64 * 0x1000)])
    #expect(merged.eraseOnlyBytes == 44 * 0x1000)
    let plain = try WritePlan(image: image, offset: 0x30_0000, shape: .sectors)
    #expect(plain.writeRanges.count == 11 && plain.writtenBytes == 11 * 0x1000)
    #expect(plain.writtenBytes + plain.eraseOnlyBytes == image.count)
  }
}
