import Foundation
import LittleFS
import SPIFFS

/// LittleFS builder and reader throughput and memory: `.build/release/espflash-bench littlefs`.
/// The case: the same 2,000-file / 12 MB tree as the SPIFFS bench into 16M14M (1789 blocks of 8 KiB).
enum LittleFSBench {
  static func run() {
    print("== LittleFS builder and reader ==")
    let size = 14_655_488  // 16M14M: 0x200000 … 0xFFA000 (littlefs-format.md §8.1)
    // The SPIFFS bench's tree (sizes 0 … 12 KB) cannot fit: every file over 64 bytes takes whole 8 KiB
    // blocks, about 2,650 of them, and 16M14M has 1,789. Said, not hidden:
    let spiffsTree = SPIFFSBench.generatedTree(files: 2000, totalBytes: 12_000_000)
    let blocks = spiffsTree.reduce(0) { $0 + ($1.contents.count <= 64 ? 0 : LittleFSUsage.blocksNeeded(size: $1.contents.count, blockSize: 8192)) }
    print("SPIFFS bench tree (2000 files / 12 MB, 0 … 12 KB each): needs \(blocks) data blocks, 16M14M has 1789: does not fit LittleFS")
    let files = littlefsShapedTree()
    let formats: [(String, LittleFSBuilder.Format)] = [("compact (device esp8266)", .device(.esp8266)),
                                                       ("mklittlefs-esp8266", .mklittlefs(.esp8266))]
    for (label, format) in formats {
      let builder = LittleFSBuilder(format: format, blockSize: 8192, imageSize: size, fileTimes: .fixed(1_700_000_000),
                                    buildTime: 1_700_000_000)
      let total = files.reduce(0) { $0 + $1.contents.count }
      guard let image = measure("\(files.count) files / \(total) bytes -> 16M14M [\(label)]", runs: 2, { try builder.build(files) }) else { continue }
      _ = measure("  read back: mount, list, every file, check [\(label)]", runs: 3) { () throws -> [UInt8] in
        let mounted = try LittleFSImage(bytes: image)
        var total = 0
        for entry in try mounted.list() where entry.kind == .file { total += try mounted.contents(of: entry).count }
        if total != files.reduce(0, { $0 + $1.contents.count }) { print("  read back \(total) bytes: MISMATCH") }
        let problems = mounted.check()
        if !problems.isEmpty { print("  check: \(problems.count) problems, first: \(problems[0])") }
        return image
      }
      if let usage = try? LittleFSImage(bytes: image).usage() {
        print("  \(usage.files) files, \(usage.contentBytes) bytes in \(usage.usedBlocks) of \(usage.blockCount) blocks")
      }
    }
  }

  /// 2,000 files / 12 MB that fit 16M14M: 450 inline files of 40 bytes and 1,550 of 7,730 bytes (one block
  /// each), in 20 folders, xorshift contents.
  static func littlefsShapedTree() -> [LittleFSInputFile] {
    var x: UInt32 = 0x1234_5678
    return (0..<2000).map { i in
      let size = i % 40 < 9 ? 40 : 7730
      let bytes = (0..<size).map { _ -> UInt8 in
        x ^= x << 13
        x ^= x >> 17
        x ^= x << 5
        return UInt8(truncatingIfNeeded: x)
      }
      return LittleFSInputFile(path: "/d\(i % 20)/file\(i).bin", contents: bytes, modificationTime: 1_700_000_000)
    }
  }

  /// Best of `runs` wall-clock times and the peak resident memory over the runs.
  static func measure(_ label: String, runs: Int, _ body: () throws -> [UInt8]) -> [UInt8]? {
    var best = Duration.seconds(1000)
    var last: [UInt8]?
    SPIFFSBench.resetPeakMemory()
    let before = SPIFFSBench.residentKiB().current
    for _ in 0..<runs {
      let clock = ContinuousClock()
      let start = clock.now
      do {
        last = try body()
      } catch {
        print("\(label): \(error) (after \(SPIFFSBench.milliseconds(clock.now - start)) ms)")
        return nil
      }
      best = min(best, clock.now - start)
    }
    let peak = SPIFFSBench.residentKiB().peak
    print("\(label): \(SPIFFSBench.milliseconds(best)) ms (best of \(runs)); memory peak \((peak - before) / 1024) MiB above "
          + "the \(before / 1024) MiB before it, process peak \(peak / 1024) MiB")
    return last
  }
}
