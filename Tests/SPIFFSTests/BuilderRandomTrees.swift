@testable import SPIFFS
import TestSupport

/// Random file trees that hit the format's edges: empty files, one-page boundaries (250/251/252/256/257),
/// the index-header boundaries of both platforms (105*251, 103*251), the first index page's end (+124*251),
/// 31-byte names and deep folders.
enum RandomTrees {
  static let edgeSizes: [Int] = {
    var sizes = [0, 1, 250, 251, 252, 255, 256, 257, 502, 512]
    for entries in [103, 105] {
      for base in [entries * 251, (entries + 124) * 251] { sizes += [base - 1, base, base + 1, base + 256] }
    }
    return sizes
  }()

  static func name(index: Int, using rng: inout SplitMix64) -> String {
    switch rng.next() % 4 {
    case 0:  // exactly 31 bytes
      let stem = "/n\(index)_"
      return stem + String(repeating: "x", count: 31 - stem.utf8.count)
    case 1:  // deep folders
      return "/a/b/c/d/e/f\(index).bin"
    case 2:
      return "/www/css/s\(index).css"
    default:
      return "/f\(index).txt"
    }
  }

  static func contents(size: Int, using rng: inout SplitMix64) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: size)
    var x = rng.next()
    for i in 0..<size {
      if i % 8 == 0 { x = rng.next() }
      bytes[i] = UInt8(truncatingIfNeeded: x >> (UInt64(i % 8) * 8))
    }
    return bytes
  }

  /// Up to `maxFiles` files whose compact image fits `layout`, leaving room for mkspiffs' waste when
  /// `headroom` > 1.
  static func tree(seed: UInt64, layout: SPIFFSLayout, maxFiles: Int = 24, budgetFraction: Double = 0.4) -> [SPIFFSFile] {
    var rng = SplitMix64(seed: seed)
    let budget = Int(Double(layout.blockCount * layout.blockSize) * budgetFraction)
    var files: [SPIFFSFile] = []
    var total = 0
    let count = 1 + Int(rng.next() % UInt64(maxFiles))
    for i in 0..<count {
      let size = rng.next() % 3 == 0 ? Int(rng.next() % 70_000) : edgeSizes[Int(rng.next() % UInt64(edgeSizes.count))]
      guard total + size + 256 <= budget else { continue }
      total += size + 256
      files.append(SPIFFSFile(name: name(index: i, using: &rng), contents: contents(size: size, using: &rng)))
    }
    return files
  }

  /// The layouts the property tests run on: ESP8266 with 4 KiB and 8 KiB blocks, ESP32, and 64 KiB blocks
  /// (two lookup pages per block).
  static let layouts: [SPIFFSLayout] = [
    SPIFFSLayout(platform: .esp8266, imageSize: 0x40000, blockSize: 4096),  // 1M256
    SPIFFSLayout(platform: .esp8266, imageSize: 0xFA000, blockSize: 8192),  // 4M1M
    SPIFFSLayout(platform: .esp32, imageSize: 0x160000, blockSize: 4096),  // arduino-esp32 default
    SPIFFSLayout(platform: .esp32, imageSize: 0x100000, blockSize: 65536),
  ]
}
