/// One layout tried by autodetection, with how many blocks carry its magic.
public struct LayoutCandidate: Hashable, Sendable {
  public var layout: SPIFFSLayout
  public var matchingBlocks: Int
  /// SPIFFS mounts when at most one block lacks the magic (§1.2).
  public var mounts: Bool { layout.blockCount - matchingBlocks <= 1 }
}

/// Finds the layout of an image from its magic numbers alone.
///
/// The magic sits at a block-size-dependent offset and, on ESP32/ESP-IDF, depends on the block count, so a
/// wrong platform or block size almost never matches (§1.2, §9.3). One case does: ESP8266 magic has no
/// length term, so a 4 KiB-block image also shows its magic every 8 KiB. When block sizes `b` and `b/2` both
/// match, the halves of every `b` block carry magic, which only a `b/2` image has; the smaller one is kept.
public enum SPIFFSLayoutDetector {
  /// Block sizes tried: the ESP32/ESP-IDF and small ESP8266 size, the large ESP8266 size, and 64 KiB.
  public static let blockSizes = [4096, 8192, 65536]
  /// Configurations tried; ESP-IDF stores the same format as arduino-esp32.
  public static let platforms: [SPIFFSLayout.Platform] = [.esp8266, .esp32]

  /// Every valid combination of `platforms` × `blockSizes` for an image of `imageSize` bytes, scored on `bytes`.
  public static func candidates(
    for bytes: [UInt8], imageSize: Int? = nil, platforms: [SPIFFSLayout.Platform] = platforms,
    blockSizes: [Int] = blockSizes, pageSize: Int = 256
  ) -> [LayoutCandidate] {
    score(bytes, imageSize: imageSize, platforms: platforms, blockSizes: blockSizes, pageSize: pageSize)
  }

  /// The same on bytes the caller holds (a mapped file): reads one u16 per block and candidate.
  public static func candidates(
    for bytes: UnsafeRawBufferPointer, imageSize: Int? = nil, platforms: [SPIFFSLayout.Platform] = platforms,
    blockSizes: [Int] = blockSizes, pageSize: Int = 256
  ) -> [LayoutCandidate] {
    score(bytes, imageSize: imageSize, platforms: platforms, blockSizes: blockSizes, pageSize: pageSize)
  }

  static func score<Bytes: RandomAccessCollection<UInt8>>(
    _ bytes: Bytes, imageSize: Int?, platforms: [SPIFFSLayout.Platform], blockSizes: [Int], pageSize: Int
  ) -> [LayoutCandidate] where Bytes.Index == Int {
    let size = imageSize ?? bytes.count
    var result: [LayoutCandidate] = []
    for platform in platforms {
      for block in blockSizes {
        let layout = SPIFFSLayout(platform: platform, imageSize: size, blockSize: block, pageSize: pageSize)
        guard (try? layout.validate()) != nil, bytes.count >= layout.blockCount * block else { continue }
        var matching = 0
        for b in 0..<layout.blockCount {
          let o = b * block + layout.magicOffsetInBlock
          if UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8 == layout.magic(forBlock: b) { matching += 1 }
        }
        result.append(LayoutCandidate(layout: layout, matchingBlocks: matching))
      }
    }
    return result
  }

  /// The single layout under which the image mounts.
  /// Throws `noLayoutMatches` or `ambiguousLayout` (listing the candidates) otherwise.
  public static func detect(
    _ bytes: [UInt8], imageSize: Int? = nil, platforms: [SPIFFSLayout.Platform] = platforms,
    blockSizes: [Int] = blockSizes, pageSize: Int = 256
  ) throws(SPIFFSReadError) -> LayoutCandidate {
    try pick(candidates(for: bytes, imageSize: imageSize, platforms: platforms, blockSizes: blockSizes,
                        pageSize: pageSize), imageBytes: imageSize ?? bytes.count)
  }

  /// The same on bytes the caller holds (a mapped file).
  public static func detect(
    _ bytes: UnsafeRawBufferPointer, imageSize: Int? = nil, platforms: [SPIFFSLayout.Platform] = platforms,
    blockSizes: [Int] = blockSizes, pageSize: Int = 256
  ) throws(SPIFFSReadError) -> LayoutCandidate {
    try pick(candidates(for: bytes, imageSize: imageSize, platforms: platforms, blockSizes: blockSizes,
                        pageSize: pageSize), imageBytes: imageSize ?? bytes.count)
  }

  static func pick(_ all: [LayoutCandidate], imageBytes: Int) throws(SPIFFSReadError) -> LayoutCandidate {
    let mounting = all.filter(\.mounts)
    let kept = mounting.filter { big in
      !mounting.contains { small in
        small.layout.platform == big.layout.platform && small.layout.blockSize < big.layout.blockSize
          && big.layout.blockSize % small.layout.blockSize == 0
      }
    }
    switch kept.count {
    case 1: return kept[0]
    case 0: throw .noLayoutMatches(imageBytes: imageBytes, tried: all)
    default: throw .ambiguousLayout(imageBytes: imageBytes, candidates: kept)
    }
  }
}
