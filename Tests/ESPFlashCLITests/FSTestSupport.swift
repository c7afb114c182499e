import Foundation
import SPIFFS
import TestSupport

/// Runs the built `espflash-swift` and finds the test vectors.
enum FSTestSupport {
  static let spiffsData = Repository.testdata("spiffs")

  static func image(_ name: String) -> String { spiffsData.appendingPathComponent("images/\(name).bin").path }
  static func input(_ name: String) -> URL { spiffsData.appendingPathComponent("input/\(name)") }

  struct Run {
    var status: Int32
    var stdout: Data
    var stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }
  }

  static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
    let run = try ProcessRun.run(BuiltCLI.binary, arguments, directory: directory, environment: environment)
    return Run(status: run.status, stdout: run.stdout, stderr: run.stderrText)
  }

  static func temporaryFolder() throws -> URL { try ScratchFolder.make("fs-tests") }

  /// A tiny ESP8266-format image (1M128 geometry) written page by page, so names can be anything a hostile
  /// image might hold. Each file gets one header page and at most one data page (content ≤ 251 bytes).
  static func craftImage(_ files: [(name: [UInt8], content: [UInt8])]) -> [UInt8] {
    let layout = SPIFFSLayout(platform: .esp8266, imageSize: 0x20000, blockSize: 4096)
    var bytes = [UInt8](repeating: 0xFF, count: layout.imageSize)
    func put16(_ value: UInt16, _ offset: Int) {
      bytes[offset] = UInt8(value & 0xFF)
      bytes[offset + 1] = UInt8(value >> 8)
    }
    for block in 0..<layout.blockCount {
      put16(layout.magic(forBlock: block), block * layout.blockSize + layout.magicOffsetInBlock)
      put16(0, block * layout.blockSize + layout.eraseCountOffsetInBlock)
    }
    var entry = 0
    func allocate(_ lookup: UInt16) -> Int {
      let block = entry / layout.objectPagesPerBlock, slot = entry % layout.objectPagesPerBlock
      entry += 1
      put16(lookup, block * layout.blockSize + slot * 2)
      return layout.pageIndex(block: block, entry: slot)
    }
    for (index, file) in files.enumerated() {
      let id = UInt16(index + 1)
      let header = allocate(id | 0x8000)
      let base = header * 256
      PageHeader(objectID: id | 0x8000, spanIndex: 0, flags: .index).encode(into: &bytes, at: base)
      let size = UInt32(file.content.count)
      for i in 0..<4 { bytes[base + 8 + i] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(i))) }
      bytes[base + 12] = 1
      for i in 0..<32 { bytes[base + 13 + i] = i < file.name.count ? file.name[i] : 0 }
      if !file.content.isEmpty {
        let data = allocate(id)
        PageHeader(objectID: id, spanIndex: 0, flags: .data).encode(into: &bytes, at: data * 256)
        for (i, byte) in file.content.enumerated() { bytes[data * 256 + 5 + i] = byte }
        put16(UInt16(data), base + layout.indexHeaderSize)
      }
    }
    return bytes
  }
}
