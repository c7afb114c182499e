import Foundation
@testable import SPIFFS
import TestSupport

/// Fixtures, a minimal image reader (§1.8) and SHA-256, for the builder tests only. The real reader lives in
/// `Sources/SPIFFS/Reader` and is tested on its own; this one stays small so the two can check each other.
enum BuilderFixtures {
  static let spiffs = Repository.testdata("spiffs")

  static func bytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: spiffs.appendingPathComponent(relative)))
  }

  /// The files of `input/<tree>`, in the order mkspiffs used for `image` (`expected/<image>.order.txt`).
  static func files(tree: String, orderOf image: String) throws -> [SPIFFSFile] {
    let order = try String(contentsOf: spiffs.appendingPathComponent("expected/\(image).order.txt"), encoding: .utf8)
    return try order.split(separator: "\n").map { line in
      let name = String(line)
      let contents = try bytes("input/\(tree)\(name)")
      return SPIFFSFile(name: name, contents: contents)
    }
  }

  static func esp8266(_ size: Int, block: Int) -> SPIFFSLayout {
    SPIFFSLayout(platform: .esp8266, imageSize: size, blockSize: block)
  }

  static func esp32(_ size: Int) -> SPIFFSLayout { SPIFFSLayout(platform: .esp32, imageSize: size, blockSize: 4096) }
}

/// Sets the bytes mkspiffs leaves uninitialised (§8) to 0xFF: 5, 6, 7 and, with aligned tables, the pad byte
/// of every object page whose header has bit 15 and span 0. Lookup pages are never touched.
func normalisedMkspiffsImage(_ image: [UInt8], layout: SPIFFSLayout) -> [UInt8] {
  var out = image
  let p = layout.pageSize
  for pix in 0..<layout.pageCount where layout.lookupEntry(ofPage: pix) != nil {
    let base = pix * p
    let id = UInt16(out[base]) | UInt16(out[base + 1]) << 8
    let span = UInt16(out[base + 2]) | UInt16(out[base + 3]) << 8
    guard id & 0x8000 != 0, span == 0 else { continue }
    for i in 5...7 { out[base + i] = 0xFF }
    if layout.alignsObjectIndexTables { out[base + layout.indexHeaderMetadataOffset + layout.metadataLength] = 0xFF }
  }
  return out
}

/// First difference between two images, as a sentence naming page and offset.
func firstDifference(_ a: [UInt8], _ b: [UInt8], pageSize: Int) -> String? {
  guard a.count == b.count else { return "sizes differ: \(a.count) vs \(b.count)" }
  guard let i = a.indices.first(where: { a[$0] != b[$0] }) else { return nil }
  return "first difference at byte 0x\(String(i, radix: 16)): page \(i / pageSize) offset \(i % pageSize): "
    + "got 0x\(String(a[i], radix: 16)), expected 0x\(String(b[i], radix: 16))"
}

/// A file as the test reader found it.
struct ReadBackFile: Equatable {
  var name: [UInt8]
  var contents: [UInt8]
  var objectID: UInt16
  var headerPage: Int
  var rawSize: UInt32
}

enum ReadBackError: Error, CustomStringConvertible {
  case corrupt(String)
  var description: String { if case .corrupt(let s) = self { return s }; return "" }
}

/// Lists and reads every file of `image` per §1.8, in physical (readdir) order.
func readBack(_ image: [UInt8], layout: SPIFFSLayout) throws -> [ReadBackFile] {
  let p = layout.pageSize
  func u16(_ o: Int) -> UInt16 { UInt16(image[o]) | UInt16(image[o + 1]) << 8 }
  func u32(_ o: Int) -> UInt32 { UInt32(u16(o)) | UInt32(u16(o + 2)) << 16 }
  var badMagic = 0
  if layout.usesMagic {
    for b in 0..<layout.blockCount where u16(b * layout.blockSize + layout.magicOffsetInBlock) != layout.magic(forBlock: b) {
      badMagic += 1
    }
  }
  guard badMagic <= 1 else { throw ReadBackError.corrupt("\(badMagic) blocks without magic") }

  var headers: [(pix: Int, id: UInt16)] = []
  var indexPages: [Int: Int] = [:]  // id << 16 | span -> pix
  for b in 0..<layout.blockCount {
    for e in 0..<layout.objectPagesPerBlock {
      let lu = u16(b * layout.blockSize + 2 * e)
      guard lu != 0xFFFF, lu != 0, lu & 0x8000 != 0 else { continue }
      let pix = layout.pageIndex(block: b, entry: e)
      guard let h = PageHeader(decoding: image, at: pix * p), h.objectID == lu else { continue }
      let f = h.flags
      guard !f.isDeleted, f.isFinal, f.isIndex, f.isUsed else { continue }
      if h.spanIndex == 0 && !f.isIndexBeingDeleted { headers.append((pix, lu & 0x7FFF)) }
      indexPages[Int(lu & 0x7FFF) << 16 | Int(h.spanIndex)] = pix
    }
  }

  return try headers.map { header in
    let base = header.pix * p
    let raw = u32(base + 8)
    let size = raw == 0xFFFF_FFFF ? 0 : Int(raw)
    let nameField = image[(base + 13)..<(base + 13 + layout.nameLength)]
    let name = Array(nameField.prefix { $0 != 0 })
    var contents: [UInt8] = []
    contents.reserveCapacity(size)
    let spans = (size + layout.dataBytesPerPage - 1) / layout.dataBytesPerPage
    for s in 0..<spans {
      let (k, entry) = layout.indexLocation(ofDataSpan: s)
      guard let ix = indexPages[Int(header.id) << 16 | k] else {
        throw ReadBackError.corrupt("file id \(header.id): index page \(k) missing")
      }
      let dataPix = Int(u16(ix * p + layout.tableOffset(inIndexSpan: k) + 2 * entry))
      guard let dh = PageHeader(decoding: image, at: dataPix * p), dh.objectID == header.id,
        Int(dh.spanIndex) == s, !dh.flags.isDeleted, !dh.flags.isIndex
      else { throw ReadBackError.corrupt("file id \(header.id): data span \(s) at page \(dataPix) is wrong") }
      let n = min(layout.dataBytesPerPage, size - s * layout.dataBytesPerPage)
      contents += image[(dataPix * p + 5)..<(dataPix * p + 5 + n)]
    }
    return ReadBackFile(name: name, contents: contents, objectID: header.id, headerPage: header.pix, rawSize: raw)
  }
}

/// Compact SHA-256 (FIPS 180-4), enough to compare against the hashes in MANIFEST.md.
func sha256Hex(_ message: [UInt8]) -> String {
  let k: [UInt32] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]
  var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
  var data = message
  data.append(0x80)
  while data.count % 64 != 56 { data.append(0) }
  let bits = UInt64(message.count) * 8
  for i in (0..<8).reversed() { data.append(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
  func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
  var w = [UInt32](repeating: 0, count: 64)
  for chunk in stride(from: 0, to: data.count, by: 64) {
    for i in 0..<16 {
      let o = chunk + 4 * i
      w[i] = UInt32(data[o]) << 24 | UInt32(data[o + 1]) << 16 | UInt32(data[o + 2]) << 8 | UInt32(data[o + 3])
    }
    for i in 16..<64 {
      let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
      let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
      w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
    }
    var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
    for i in 0..<64 {
      let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
      let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
      (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
    }
    for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
  }
  return h.map { v in (0..<4).map { String(format: "%02x", (v >> (24 - 8 * UInt32($0))) & 0xFF) }.joined() }.joined()
}
