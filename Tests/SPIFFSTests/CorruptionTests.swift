import Foundation
import SPIFFS
import Testing
import TestSupport

/// Seeded damage to the reference images: every case must end in a result or a typed error, never a crash,
/// a hang or unbounded output. Reproduce a case with `SPIFFS_FUZZ_SEED=<seed>` (printed on failure).
@Suite struct CorruptionTests {
  static let seed: UInt64 = ProcessInfo.processInfo.environment["SPIFFS_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_2026

  struct Loaded: Sendable {
    var image: ReaderFixtures.Image
    var bytes: [UInt8]
  }

  static func load() throws -> [Loaded] {
    try ReaderFixtures.images.map { Loaded(image: $0, bytes: try ReaderFixtures.bytes($0)) }
  }

  /// Everything the reader offers, on one damaged image; returns a short outcome for the tally.
  static func exercise(_ bytes: [UInt8], _ layout: SPIFFSLayout, note: String) -> String {
    let spiffs: SPIFFSImage
    do {
      spiffs = try SPIFFSImage(bytes: bytes, layout: layout)
    } catch {
      return "init: \(error)".prefix(20).description
    }
    let mounted = (try? spiffs.mount()) != nil
    let entries = spiffs.entries()
    #expect(entries.count <= layout.blockCount * layout.objectPagesPerBlock, "\(note)")
    var outcome = mounted ? "mounted" : "unmountable"
    for entry in entries {
      do {
        let content = try spiffs.contents(of: entry)
        #expect(content.count == entry.size, "\(note)")
        #expect(content.count <= spiffs.maximumFileBytes, "\(note)")
      } catch {
        // Typed throws: nothing but SPIFFSReadError can arrive here.
        if case .corruptFile = error {} else { Issue.record("unexpected \(error) \(note)") }
        outcome += "+corrupt"
      }
    }
    let report = spiffs.check()
    // Bounded: a few problems per page at most, plus one per block.
    #expect(report.problems.count <= 4 * layout.pageCount + layout.blockCount, "\(note)")
    let usage = spiffs.usage()
    #expect(usage.usedPages + usage.deletedPages + usage.freePages == usage.objectPages, "\(note)")
    if !report.isConsistent { outcome += "+errors" }
    return outcome
  }

  @Test func randomByteFlipsAndOverwrites() throws {
    let images = try Self.load()
    var rng = SplitMix64(seed: Self.seed)
    var outcomes: [String: Int] = [:]
    for iteration in 0..<2400 {
      // Small images three times as often: they are 10x cheaper and as varied.
      let pick = Int(rng.next() % 14)
      let loaded = images[pick < 12 ? [1, 3, 4, 6][pick % 4] : [0, 2, 5, 7][Int(rng.next() % 4)]]
      var bytes = loaded.bytes
      let layout = loaded.image.layout
      let note = "seed \(Self.seed) iteration \(iteration) image \(loaded.image.name)"
      switch rng.next() % 4 {
      case 0:  // scattered bit flips anywhere
        for _ in 0..<(1 + Int(rng.next() % 16)) {
          bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1 << (rng.next() % 8))
        }
      case 1:  // lookup entries: random values, often ids that exist
        for _ in 0..<(1 + Int(rng.next() % 8)) {
          let block = Int(rng.next() % UInt64(layout.blockCount))
          let entry = Int(rng.next() % UInt64(layout.objectPagesPerBlock))
          let o = block * layout.blockSize + entry * 2
          let value = rng.next() % 3 == 0 ? UInt16(truncatingIfNeeded: rng.next()) : UInt16(rng.next() % 40) | (rng.next() % 2 == 0 ? 0x8000 : 0)
          bytes[o] = UInt8(value & 0xFF)
          bytes[o + 1] = UInt8(value >> 8)
        }
      case 2:  // page headers, sizes and index tables of object pages
        for _ in 0..<(1 + Int(rng.next() % 8)) {
          let pix = Int(rng.next() % UInt64(layout.pageCount))
          guard pix % layout.pagesPerBlock >= layout.lookupPagesPerBlock else { continue }
          let offsets = [0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 20, 44, 46, 47, 48, 49, 50, 60, 100, 200]
          let o = pix * layout.pageSize + offsets[Int(rng.next() % UInt64(offsets.count))]
          bytes[o] = rng.next() % 4 == 0 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
        }
      default:  // a whole block (or page) of garbage, zeros or 0xFF
        let unit = rng.next() % 2 == 0 ? layout.blockSize : layout.pageSize
        let start = Int(rng.next() % UInt64(layout.imageSize / unit)) * unit
        let fill = rng.next() % 3
        for i in start..<min(bytes.count, start + unit) {
          bytes[i] = fill == 0 ? 0 : fill == 1 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
        }
      }
      // Now and then read it under the wrong configuration too.
      let readAs = rng.next() % 10 == 0
        ? SPIFFSLayout(platform: layout.platform == .esp8266 ? .esp32 : .esp8266, imageSize: layout.imageSize,
                       blockSize: rng.next() % 2 == 0 ? 4096 : 8192)
        : layout
      outcomes[Self.exercise(bytes, readAs, note: note), default: 0] += 1
    }
    // The damage must actually reach both the clean and the broken paths.
    #expect(outcomes.keys.contains { $0.hasPrefix("mounted") })
    #expect(outcomes.keys.contains { $0.contains("corrupt") || $0.contains("errors") })
    #expect(outcomes.keys.contains { $0.hasPrefix("unmountable") })
  }

  @Test func truncationsAndAutodetection() throws {
    let images = try Self.load()
    var rng = SplitMix64(seed: Self.seed ^ 0xA5A5)
    var typedErrors = 0, results = 0
    for iteration in 0..<600 {
      let loaded = images[Int(rng.next() % UInt64(images.count))]
      let length = rng.next() % 4 == 0 ? Int(rng.next() % 8192) : Int(rng.next() % UInt64(loaded.bytes.count))
      let bytes = Array(loaded.bytes[0..<length])
      let note = "seed \(Self.seed) truncation \(iteration) image \(loaded.image.name) length \(length)"
      do {
        _ = try SPIFFSImage(bytes: bytes, layout: loaded.image.layout)
        Issue.record("a truncated image was accepted: \(note)")
      } catch {
        if case .truncated(let have, let need, _) = error {
          #expect(have == length && need > length, "\(note)")
        } else {
          Issue.record("unexpected \(error): \(note)")
        }
      }
      // Detection on the stub: whatever it decides must be readable without trapping.
      do {
        let found = try SPIFFSLayoutDetector.detect(bytes)
        _ = Self.exercise(bytes, found.layout, note: note)
        results += 1
      } catch {
        switch error {
        case .noLayoutMatches, .ambiguousLayout: typedErrors += 1
        default: Issue.record("unexpected \(error): \(note)")
        }
      }
    }
    #expect(typedErrors > 0)
    #expect(results + typedErrors == 600)
  }

  @Test func hostileSizesAndSelfReferencesStayBounded() throws {
    let layout = SPIFFSLayout(platform: .esp8266, imageSize: 0x20000, blockSize: 4096)
    let base = try ReaderFixtures.bytes(ReaderFixtures.images[1])
    let spiffs = try SPIFFSImage(bytes: base, layout: layout)
    let file = try #require(spiffs.entry(named: Array("/hdr105.bin".utf8)))
    // Size just under and far over the capacity, and every table entry pointing at the header itself.
    for size: UInt32 in [0xFFFF_FFFE, UInt32(spiffs.maximumFileBytes), UInt32(spiffs.maximumFileBytes + 1), 0x7FFF_FFFF] {
      var bytes = base
      let o = file.headerPage * 256
      for i in 0..<4 { bytes[o + 8 + i] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(i))) }
      for slot in 0..<layout.entriesInIndexHeader {
        bytes[o + 46 + slot * 2] = UInt8(file.headerPage & 0xFF)
        bytes[o + 47 + slot * 2] = UInt8(file.headerPage >> 8)
      }
      let damaged = try SPIFFSImage(bytes: bytes, layout: layout)
      let entry = try #require(damaged.entry(named: Array("/hdr105.bin".utf8)))
      #expect(throws: SPIFFSReadError.self) { try damaged.contents(of: entry) }
      #expect(!damaged.check().isConsistent)
    }
  }
}
