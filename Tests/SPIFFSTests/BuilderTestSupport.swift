import Crypto
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

/// SHA-256 as lower-case hex, for the checksums in testdata/spiffs/MANIFEST.md.
func sha256Hex(_ message: [UInt8]) -> String {
  SHA256.hash(data: message).map { String(format: "%02x", $0) }.joined()
}
