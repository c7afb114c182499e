import SPIFFS
import Testing
import TestSupport

/// `build(_:load:)`: names and sizes first, bytes asked for one file at a time while packing.
@Suite struct BuilderLoadingTests {
  static let seed: UInt64 = 0x13_13_2026

  static func files() -> [SPIFFSFile] {
    var rng = SplitMix64(seed: seed)
    return (0..<40).map { i in
      let size = Int(rng.next() % 40_000)
      return SPIFFSFile(name: "/d\(i % 4)/f\(i).bin", contents: (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    }
  }

  @Test(arguments: [SPIFFSImageFormat.compact, .mkspiffs])
  func loadingEachFileWhenPackedGivesTheSameImage(_ format: SPIFFSImageFormat) throws {
    let files = Self.files()
    let layout = SPIFFSLayout(platform: .esp8266, imageSize: 0x200000, blockSize: 8192)
    let builder = SPIFFSBuilder(layout: layout, format: format)
    let whole = try builder.build(files)
    var asked: [Int] = []
    let loaded = try builder.build(files.map { SPIFFSFileInfo(nameBytes: $0.nameBytes, byteCount: $0.contents.count) }) {
      asked.append($0)
      return files[$0].contents
    }
    #expect(loaded.image == whole.image, "seed \(Self.seed)")
    #expect(loaded.objectIDs == whole.objectIDs && loaded.dataBytes == whole.dataBytes)
    #expect(asked == Array(files.indices), "each file once, in order")
  }

  @Test func bytesOfAnotherLengthThanPlannedAreRefused() throws {
    let files = Self.files()
    let layout = SPIFFSLayout(platform: .esp8266, imageSize: 0x200000, blockSize: 8192)
    let infos = files.map { SPIFFSFileInfo(nameBytes: $0.nameBytes, byteCount: $0.contents.count) }
    for format in [SPIFFSImageFormat.compact, .mkspiffs] {
      #expect(throws: SPIFFSBuildError.fileChanged(name: files[3].name, plannedBytes: files[3].contents.count,
                                                   actualBytes: files[3].contents.count + 1)) {
        try SPIFFSBuilder(layout: layout, format: format).build(infos) { n in
          n == 3 ? files[n].contents + [0] : files[n].contents
        }
      }
    }
  }
}
