/// What a sparse write did.
public struct SparseWriteResult: Sendable, Equatable {
  public var offset: UInt32
  public var size: Int
  /// Image bytes sent as data (before compression and block padding).
  public var writtenBytes: Int
  /// Bytes of the deflate streams sent, when any step was compressed.
  public var compressedBytes: Int?
  /// Image bytes that changed but were only erased, not sent (blank in the image).
  public var eraseOnlyBytes: Int
  /// Image bytes the board already held (MD5 compare), neither erased nor written.
  public var unchangedBytes: Int
  /// SPI_FLASH_MD5 queries spent on the comparison (0 without it).
  public var compareQueries: Int
  public var verification: Verification

  /// The same outcome in the shape of a whole write (for callers that report `WriteResult`s).
  public var asWriteResult: WriteResult {
    WriteResult(offset: offset, size: size, dataSize: size, compressedSize: compressedBytes, verification: verification)
  }
}

/// How `writeSparse` decides and sends.
public struct SparseWriteOptions: Sendable {
  /// Compare MD5s first and leave regions that already match (loaders with MD5 only). `--no-skip` clears it.
  public var skipUnchanged = true
  /// Deflate where the loader inflates.
  public var compress = true

  public init(skipUnchanged: Bool = true, compress: Bool = true) {
    self.skipUnchanged = skipUnchanged
    self.compress = compress
  }
}

extension Flasher {
  /// Writes `image` at `offset` (a 4 KiB sector) so that the flash equals it byte for byte, sending only what
  /// must change: regions the board already holds are left alone (MD5 compare, where the loader has MD5),
  /// blank parts are erased without sending them, the rest is written (`WritePlan`). The whole region's MD5
  /// is checked afterwards where the loader can. `estimate` hears the plan's cost before anything is sent.
  public func writeSparse(_ image: [UInt8], at offset: UInt32, options: SparseWriteOptions = SparseWriteOptions(),
                          estimate: ((TransferEstimate) -> Void)? = nil,
                          progress: ProgressHandler? = nil) throws(LoaderError) -> SparseWriteResult {
    guard !image.isEmpty else { throw .invalidRequest("nothing to write at \(hexAddress(offset))") }
    try prepareFlashAccess(end: UInt64(offset) + UInt64(image.count))
    let sector = WritePlan.sectorSize
    let sectorCount = (image.count + sector - 1) / sector
    var comparison = RegionComparison(differingSectors: [0..<sectorCount], queries: 0)
    if options.skipUnchanged && !isESP8266ROM {
      comparison = try compareRegions(image, at: offset)
    }
    let compress = options.compress && !isESP8266ROM
    // Deflated, a blank sector between data costs a few bytes; 16 = one 64 KiB erase block.
    let plan = try WritePlan(image: image, offset: Int(offset), shape: isESP8266ROM ? .esp8266ROM : .sectors,
                             sectors: comparison.differingSectors, mergeGapSectors: compress ? 16 : 0)
    var payloads: [[UInt8]] = []
    var compressed: [Bool] = []
    for range in plan.writeRanges {
      let chunk = Self.padded(Array(image[range]))
      if compress, case let stream = try Deflate.compress(chunk), stream.count < chunk.count {
        payloads.append(stream)
        compressed.append(true)
      } else {
        payloads.append(chunk)
        compressed.append(false)
      }
    }
    let verifies = isESP8266ROM || comparison.isUnchanged ? 0 : 1
    if let estimate {
      let stubPayload = isESP8266ROM ? try Deflate.compress(image).count : nil
      estimate(self.estimate(plan: plan, payloads: payloads, compressedImage: stubPayload, verifyQueries: verifies))
    }

    let total = max(plan.writtenBytes, 1)
    var done = 0
    for step in plan.steps {
      if case .erase(let at, let size, let beginEraseSize) = step {
        try eraseOnly(offset: UInt32(at), size: size, beginEraseSize: beginEraseSize)
      }
    }
    for (index, range) in plan.writeRanges.enumerated() {
      let at = offset + UInt32(range.lowerBound)
      let before = done
      let forward: ProgressHandler = { partial, _ in progress?(before + min(partial, range.count), total) }
      let chunk = Self.padded(Array(image[range]))
      // Through the block retries and the restart/reopen recovery of `writeRecovering`. The ESP8266 ROM's
      // sectors were erased exactly above; its BEGIN here must erase nothing.
      _ = try writeRecovering(chunk, at: at, compress: compressed[index], eraseSize: isESP8266ROM ? 0 : nil,
                              stream: compressed[index] ? payloads[index] : nil, progress: forward)
      done += range.count
      progress?(done, total)
    }

    let verification: Verification
    if isESP8266ROM {
      verification = .notVerified(reason: "the ESP8266 ROM loader has no MD5 command; only the flasher stub can check what was written")
    } else if comparison.isUnchanged {
      // The whole-region MD5 that found nothing to change is the verification.
      verification = .verified(md5: Self.md5Hex(image))
    } else {
      let expected = Self.md5Hex(image)
      let actual = try flashMD5(offset: offset, size: image.count).map { hex($0).lowercased() }.joined()
      guard actual == expected else {
        throw .verifyFailed(offset: offset, size: UInt32(image.count), expected: expected, actual: actual)
      }
      verification = .verified(md5: expected)
    }
    let streams = zip(payloads, compressed).filter(\.1).reduce(0) { $0 + $1.0.count }
    let changed = min(image.count, comparison.differingSectors.reduce(0) { $0 + $1.count } * sector)
    return SparseWriteResult(offset: offset, size: image.count, writtenBytes: plan.writtenBytes,
                             compressedBytes: compressed.contains(true) ? streams : nil,
                             eraseOnlyBytes: max(0, changed - plan.writtenBytes),
                             unchangedBytes: max(0, image.count - changed), compareQueries: comparison.queries,
                             verification: verification)
  }

  /// One erase step: on the ESP8266 ROM a FLASH_BEGIN with the planned erase word and no data; elsewhere
  /// the stub's ERASE_REGION or the ROM's erase-only FLASH_BEGIN (`eraseRegion`).
  func eraseOnly(offset: UInt32, size: Int, beginEraseSize: UInt32?) throws(LoaderError) {
    guard isESP8266ROM, let beginEraseSize else {
      try eraseRegion(offset: offset, size: size)
      return
    }
    try connection.command(.flashBegin(eraseSize: beginEraseSize, blocks: 0, blockSize: UInt32(WritePlan.romBlockSize),
                                       offset: offset, encrypt: encryptWord),
                           timeout: Self.timeout(perMB: Self.eraseWriteSecondsPerMB, size: size),
                           context: "(erasing \(hexAddress(size)) bytes at \(hexAddress(offset)))")
  }

  /// Loaders write whole 4-byte words; the tail is padded with 0xFF (erased flash).
  static func padded(_ bytes: [UInt8]) -> [UInt8] {
    bytes.count % 4 == 0 ? bytes : bytes + [UInt8](repeating: 0xFF, count: 4 - bytes.count % 4)
  }
}
