import LittleFS
import Testing
import TestSupport

/// `check()` on good images, and the reader on damaged ones: flipped bits, erased and zeroed blocks,
/// truncation. Every case must end in a result or a typed error, never a crash or a hang.
@Suite struct CheckAndCorruptionTests {
  @Test(arguments: LittleFSFixtures.images)
  func referenceImagesHaveNoErrors(_ name: String) throws {
    let image = try LittleFSImage(bytes: try LittleFSFixtures.bytes(name))
    let problems = image.check()
    #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")
    if !name.contains("livedin") { #expect(problems.isEmpty, "\(problems)") }
  }

  /// Reads everything the damaged image offers; returns whether it mounted.
  static func exercise(_ bytes: [UInt8]) -> Bool {
    guard let image = try? LittleFSImage(bytes: bytes) else { return false }
    if let entries = try? image.list() {
      for entry in entries where entry.kind == .file { _ = try? image.contents(of: entry) }
    }
    _ = image.check()
    _ = try? image.usage()
    return true
  }

  static let damaged = ["esp8266_1M128_tiny", "esp32_minspiffs_tiny_legacy", "esp8266_1M128_livedin", "esp32_minspiffs_livedin"]

  @Test(arguments: damaged)
  func flippedBitsErasedBlocksAndTruncationNeverCrash(_ name: String) throws {
    let original = try LittleFSFixtures.bytes(name)
    let seed: UInt64 = 0x1177_5EED ^ UInt64(name.utf8.count)
    print("corruption seed \(seed) for \(name)")
    var rng = SplitMix64(seed: seed)
    var cases = 0, mounted = 0
    for round in 0..<150 {
      var bytes = original
      switch round % 5 {
      case 0, 1:
        // A few flipped bits anywhere in the used blocks (the first 26 blocks hold all data).
        for _ in 0..<(1 + Int(rng.next() % 8)) {
          let at = Int(rng.next() % UInt64(26 * 4096))
          bytes[at] ^= 1 << UInt8(rng.next() % 8)
        }
      case 2:
        let block = Int(rng.next() % 32)
        for i in block * 4096..<(block + 1) * 4096 { bytes[i] = 0xFF }
      case 3:
        let block = Int(rng.next() % 32)
        for i in block * 4096..<(block + 1) * 4096 { bytes[i] = 0x00 }
      default:
        bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))
      }
      cases += 1
      if Self.exercise(bytes) { mounted += 1 }
    }
    #expect(cases == 150)
    print("\(name): \(cases) damaged images, \(mounted) still mounted")
  }

  @Test func aDamagedCommitIsReportedWithItsBlockAndOffset() throws {
    // Block 0 is the root's newer block (revision 3); damage a byte inside its only commit.
    var damaged = try LittleFSFixtures.bytes("esp8266_1M128_tiny")
    damaged[0x20] ^= 0x40
    let image = try LittleFSImage(bytes: damaged)
    let found = image.check().first { $0.block == 0 && $0.offset != nil }
    #expect(found?.severity == .warning, "\(image.check())")
    #expect(found?.message.contains("falls back to the older block 1") == true)
  }
}
