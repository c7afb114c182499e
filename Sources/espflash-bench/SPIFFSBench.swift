import Foundation
import SPIFFS

/// SPIFFS builder throughput and memory. Run from the repo root, release build:
/// `swift build -c release --product espflash-bench && .build/release/espflash-bench spiffs`.
///
/// Targets (issue): the 2,000-file / 12 MB tree into 16M14M in under 1 s, peak memory under 3x the image.
enum SPIFFSBench {
  static func run() {
    print("== SPIFFS builder ==")
    var built: [(label: String, layout: SPIFFSLayout, image: [UInt8])] = []

    let basicLayout = SPIFFSLayout(platform: .esp8266, imageSize: 0xFA000, blockSize: 8192)  // 4M1M
    if let basic = loadTree(at: "testdata/spiffs/input/basic") {
      for format in SPIFFSImageFormat.allCases {
        if let image = measure("basic tree (\(basic.count) files) -> 4M1M", basic, basicLayout, format, runs: 20) {
          built.append(("basic/\(format)", basicLayout, image))
        }
      }
    } else {
      print("basic tree: testdata/spiffs/input/basic not found (run from the repo root)")
    }

    // The issue's target: 2,000 files / 12 MB into 16M14M, < 1 s and < 3x the image in memory.
    let bigLayout = SPIFFSLayout(platform: .esp8266, imageSize: 0xDFA000, blockSize: 8192)  // 16M14M
    do {
      let big = generatedTree(files: 2000, totalBytes: 12_000_000)
      for format in [SPIFFSImageFormat.compact, .mkspiffs] {
        if let image = measure("generated 2000 files / 12 MB -> 16M14M", big, bigLayout, format, runs: 3) {
          built.append(("generated/\(format)", bigLayout, image))
        }
      }
    }
    // mkspiffs needs ~25 MB of image for that set (a deleted header page per 256 bytes written), so it cannot
    // hold it in 16M14M; half the data shows mkspiffs-format throughput at the same file count.
    do {
      let half = generatedTree(files: 2000, totalBytes: 6_000_000)
      if let image = measure("generated 2000 files / 6 MB -> 16M14M", half, bigLayout, .mkspiffs, runs: 3) {
        built.append(("generated-6MB/mkspiffs", bigLayout, image))
      }
    }

    readerBenchmarks(built)
  }

  /// Reads back every image just built: open + list + every file's contents (what `fs extract` does), then a
  /// full structural check (`fs check`). Prints the best of a few runs and the bytes of file data per second.
  static func readerBenchmarks(_ images: [(label: String, layout: SPIFFSLayout, image: [UInt8])]) {
    for (label, layout, bytes) in images {
      var best = Duration.seconds(1000)
      var bestCheck = Duration.seconds(1000)
      var files = 0
      var data = 0
      var problems = 0
      resetPeakMemory()
      let before = residentKiB().current
      for _ in 0..<3 {
        let clock = ContinuousClock()
        let start = clock.now
        do {
          let image = try SPIFFSImage(bytes: bytes, layout: layout)
          let entries = image.entries()
          files = entries.count
          data = 0
          for entry in entries { data += try image.contents(of: entry).count }
          best = min(best, clock.now - start)
          let checkStart = clock.now
          problems = image.check().problems.count
          bestCheck = min(bestCheck, clock.now - checkStart)
        } catch {
          print("read \(label): \(error)")
          return
        }
      }
      let peak = residentKiB().peak
      let seconds = Double(best.components.attoseconds) / 1e18 + Double(best.components.seconds)
      let rate = seconds > 0 ? Double(data) / seconds / 1e6 : 0
      print("read \(label): \(files) files, \(data) bytes listed and extracted in \(milliseconds(best)) ms "
        + "(\(String(format: "%.1f", rate)) MB/s); check \(milliseconds(bestCheck)) ms, \(problems) problems; "
        + "peak \(max(0, peak - before) / 1024) MiB over the \(before / 1024) MiB before it")
    }
  }

  /// Builds `runs` times, prints best time, MB/s of file data and the peak resident memory of the builds.
  static func measure(
    _ label: String, _ files: [SPIFFSFile], _ layout: SPIFFSLayout, _ format: SPIFFSImageFormat, runs: Int
  ) -> [UInt8]? {
    let bytes = files.reduce(0) { $0 + $1.contents.count }
    let builder = SPIFFSBuilder(layout: layout, format: format)
    var best = Duration.seconds(1000)
    var last: SPIFFSBuildResult?
    resetPeakMemory()
    let before = residentKiB().current
    for _ in 0..<runs {
      last = nil
      let clock = ContinuousClock()
      let start = clock.now
      do {
        last = try builder.build(files)
      } catch {
        let elapsed = clock.now - start
        print("\(label) [\(format)]: \(error) (after \(milliseconds(elapsed)) ms)")
        return nil
      }
      best = min(best, clock.now - start)
    }
    let peak = residentKiB().peak
    guard let result = last else { return nil }
    let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
    let mbPerSecond = Double(bytes) / 1_000_000 / seconds
    let imageKiB = Double(layout.imageSize) / 1024
    func ratio(_ kib: Int) -> String { String(format: "%.2fx", Double(kib) / imageKiB) }
    print(
      "\(label) [\(format)]: \(milliseconds(best)) ms, \(String(format: "%.1f", mbPerSecond)) MB/s of file data; "
        + "memory: build peak \((peak - before) / 1024) MiB over the \(before / 1024) MiB before it "
        + "(\(ratio(peak - before)) the \(String(format: "%.1f", imageKiB / 1024)) MiB image), "
        + "process peak \(peak / 1024) MiB (\(ratio(peak)), input files included); "
        + "used \(result.usedPages) deleted \(result.deletedPages) free \(result.freePages) pages, "
        + "GC passes \(result.garbageCollections)")
    return result.image
  }

  static func milliseconds(_ d: Duration) -> String {
    String(format: "%.1f", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
  }

  /// Files under `path`, depth-first, entries sorted by name (mkspiffs itself uses readdir order).
  static func loadTree(at path: String) -> [SPIFFSFile]? {
    let root = URL(fileURLWithPath: path)
    var files: [SPIFFSFile] = []
    func walk(_ dir: URL, prefix: String) -> Bool {
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return false }
      for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
        let url = dir.appendingPathComponent(name)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { continue }
        if isDir.boolValue {
          _ = walk(url, prefix: prefix + name + "/")
        } else if let data = FileManager.default.contents(atPath: url.path) {
          files.append(SPIFFSFile(name: prefix + name, contents: [UInt8](data)))
        }
      }
      return true
    }
    return walk(root, prefix: "/") ? files : nil
  }

  /// A deterministic tree: `files` files in 20 folders, sizes spread 0 … 2x the mean, xorshift contents.
  static func generatedTree(files count: Int, totalBytes: Int) -> [SPIFFSFile] {
    var x: UInt32 = 0x1234_5678
    func next() -> UInt32 {
      x ^= x << 13
      x ^= x >> 17
      x ^= x << 5
      return x
    }
    var sizes = (0..<count).map { _ in Int(next() % UInt32(2 * totalBytes / count)) }
    let scale = Double(totalBytes) / Double(sizes.reduce(0, +))
    sizes = sizes.map { Int(Double($0) * scale) }
    return sizes.enumerated().map { i, size in
      var bytes = [UInt8](repeating: 0, count: size)
      for j in 0..<size { bytes[j] = UInt8(truncatingIfNeeded: next()) }
      return SPIFFSFile(name: "/d\(i % 20)/file\(i).bin", contents: bytes)
    }
  }

  /// (current, peak) resident set in KiB from /proc/self/status (VmRSS, VmHWM); zeros where unavailable.
  static func residentKiB() -> (current: Int, peak: Int) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
      guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
      return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.map(String.init) ?? "") ?? 0
    }
    return (field("VmRSS"), field("VmHWM"))
  }

  /// Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so each measurement gets its own peak.
  static func resetPeakMemory() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
  }
}
