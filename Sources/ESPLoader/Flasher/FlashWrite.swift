/// How a write ended up on the flash, and whether it was checked.
public struct WriteResult: Sendable, Equatable {
  public var offset: UInt32
  /// Bytes written, after the padding the loader needs.
  public var size: Int
  /// Bytes of the original data.
  public var dataSize: Int
  /// Compressed stream size when compression was used.
  public var compressedSize: Int?
  public var verification: Verification
}

/// Whether written data was read back.
public enum Verification: Sendable, Equatable {
  /// The flash MD5 matched; the hex digest.
  case verified(md5: String)
  /// Not checked, and why (the ESP8266 ROM has no MD5 command).
  case notVerified(reason: String)
}

/// Progress callback: bytes done of total.
public typealias ProgressHandler = (_ done: Int, _ total: Int) -> Void

extension Flasher {
  /// esptool's ERASE_WRITE_TIMEOUT_PER_MB and ERASE_REGION_TIMEOUT_PER_MB (§5.4).
  static let eraseWriteSecondsPerMB = 40.0
  static let md5SecondsPerMB = 8.0

  /// `ESP8266ROM.get_erase_size`: the FLASH_BEGIN erase size that makes the ESP8266 ROM's SPIEraseArea
  /// (which erases `head` sectors twice over) erase about what is wanted (§5.3).
  public static func esp8266EraseSize(offset: UInt32, size: Int) -> UInt32 {
    let sectorsPerBlock = 16
    let sectorSize = 0x1000
    let numSectors = (size + sectorSize - 1) / sectorSize
    let startSector = Int(offset) / sectorSize
    var head = sectorsPerBlock - (startSector % sectorsPerBlock)
    if numSectors < head { head = numSectors }
    if numSectors < 2 * head {
      return UInt32((numSectors + 1) / 2 * sectorSize)
    }
    return UInt32((numSectors - head) * sectorSize)
  }

  /// What the ESP8266 ROM erases beyond the image when sent esptool's erase size, by the SPIEraseArea model
  /// of §5.3 (`E + min(E, h)` sectors from the start); nil when it erases exactly the image's sectors.
  public static func esp8266ROMOverErase(offset: UInt32, size: Int) -> Range<Int>? {
    let sector = 0x1000
    let start = Int(offset) / sector
    let wanted = (Int(offset) % sector + size + sector - 1) / sector
    let e = (Int(esp8266EraseSize(offset: offset, size: size)) + sector - 1) / sector
    let head = 16 - start % 16
    let erased = e + min(e, head)
    guard erased > wanted else { return nil }
    return ((start + wanted) * sector)..<((start + erased) * sector)
  }

  /// The flash size to tell the loader and to check bounds against: `--flash-size`, else the JEDEC size.
  func effectiveFlashSize() throws(LoaderError) -> Int {
    if let flashSizeOverride { return flashSizeOverride }
    return try detectFlashSize()
  }

  /// Attaches the flash and sends SPI_SET_PARAMS where the loader takes it, checking `end` fits.
  public func prepareFlashAccess(end: UInt64, setParameters: Bool = true) throws(LoaderError) {
    if isESP8266ROM && flashSizeOverride == nil && detectedFlashSize == nil { return }
    if secureDownloadMode && flashSizeOverride == nil {
      // No register reads, so no JEDEC id: attach and trust the ROM's geometry (esptool does the same).
      try attachFlash()
      return
    }
    let size = try effectiveFlashSize()
    if end > UInt64(size) {
      throw .invalidRequest("\(hexAddress(end)) is beyond the end of the \(size >> 20 > 0 ? "\(size >> 20)MB" : "\(size >> 10)KB") flash")
    }
    if setParameters && !isESP8266ROM { try setFlashParameters(size: size) }
  }

  /// Writes `data` at `offset`, compressed where the loader can inflate, and checks the flash MD5 where the
  /// loader can compute one (§6.1). ROM writes start on a 4 KiB sector: the gap is filled with 0xFF.
  ///
  /// Faults are recovered from as `FlashRecovery.swift` describes (block retries, a restart from the last
  /// confirmed sector, reopening a vanished port); after any recovery the MD5 decides, never the recovery.
  public func writeFlash(_ data: [UInt8], at offset: UInt32, compress: Bool = true,
                         progress: ProgressHandler? = nil) throws(LoaderError) -> WriteResult {
    var image = data
    var start = offset
    if !isStub, offset % 0x1000 != 0 {
      let gap = Int(offset % 0x1000)
      image = [UInt8](repeating: 0xFF, count: gap) + image
      start = offset - UInt32(gap)
      diagnostics("Note: the ROM erases whole 4 KiB sectors; writing from \(hexAddress(start)) with \(gap) bytes of 0xFF padding.")
    }
    if isStub, offset % 0x1000 != 0 {
      diagnostics("Note: \(hexAddress(offset)) is not on a 4 KiB sector boundary; the stub erases whole sectors, so "
                  + "the \(hexAddress(offset % 0x1000)) bytes before it are erased too.")
    }
    if image.count % 4 != 0 { image += [UInt8](repeating: 0xFF, count: 4 - image.count % 4) }
    guard !data.isEmpty else { throw .invalidRequest("nothing to write at \(hexAddress(offset))") }
    try prepareFlashAccess(end: UInt64(start) + UInt64(image.count))

    let recoveredBefore = recoveries.count
    var compressedSize = try writeRecovering(image, at: start, compress: compress, progress: progress)
    // The MD5 request covers what was written, padding included, as esptool sends it (sector-aligned start
    // in ROM mode, length padded to 4): ROMs compute digests over such regions. The digest reported is the
    // caller's data's, which then equals `md5sum FILE`.
    let expected = Self.md5Hex(image)
    let verification: Verification
    if isESP8266ROM || secureDownloadMode {
      var reason = secureDownloadMode
        ? "the chip is in Secure Download Mode, whose ROM refuses SPI_FLASH_MD5, so nothing can check what was written"
        : "the ESP8266 ROM loader has no MD5 command; only the flasher stub can check what was written"
      if recoveries.count > recoveredBefore {
        reason += " (and \(recoveries.count - recoveredBefore) fault\(recoveries.count - recoveredBefore == 1 ? " was" : "s were") recovered from during this write)"
      }
      verification = .notVerified(reason: reason)
    } else {
      var actual = try flashMD5Retrying(offset: start, size: image.count)
      if actual != expected, recoveries.count > recoveredBefore {
        // A recovery that left wrong bytes behind (a duplicated or lost block the loader accepted): write the
        // whole image once more from scratch, then let the MD5 decide.
        note("flash MD5 \(actual) after recovering differs from the data's \(expected); writing the whole region again")
        compressedSize = try writeRecovering(image, at: start, compress: compress, progress: progress)
        actual = try flashMD5Retrying(offset: start, size: image.count)
      }
      guard actual == expected else {
        throw .verifyFailed(offset: start, size: UInt32(image.count), expected: expected, actual: actual)
      }
      verification = .verified(md5: Self.md5Hex(data))
    }
    return WriteResult(offset: start, size: image.count, dataSize: data.count, compressedSize: compressedSize,
                       verification: verification)
  }

  /// The fifth FLASH_BEGIN word: stubs and S2+ ROMs take it (§2).
  var encryptWord: UInt32? { isStub || chip.romFlashBeginTakesEncryptWord ? 0 : nil }

  /// Writes `image[from...]` at `offset + from` in plain blocks. Throws `.writeInterrupted` carrying the
  /// last address the loader has surely written. `eraseSize` replaces the FLASH_BEGIN erase word: a sparse
  /// write passes 0 on the ESP8266 ROM, whose sectors it has already erased exactly (`WritePlan`).
  func writePlain(_ image: [UInt8], at offset: UInt32, from: Int = 0, eraseSize override: UInt32? = nil,
                  progress: ProgressHandler?) throws(LoaderError) {
    let part = Array(image[from...])
    let partOffset = offset + UInt32(from)
    let blockSize = flashWriteBlockSize
    let blocks = (part.count + blockSize - 1) / blockSize
    let eraseSize = override
      ?? (isESP8266ROM ? Self.esp8266EraseSize(offset: partOffset, size: part.count) : UInt32(part.count))
    if override == nil, isESP8266ROM, from == 0, let extra = Self.esp8266ROMOverErase(offset: partOffset, size: part.count) {
      diagnostics("Note: the ESP8266 ROM's erase bug also erases \(hexAddress(extra.count)) bytes after the image "
                  + "(\(hexAddress(extra.lowerBound))..\(hexAddress(extra.upperBound - 1))); no single FLASH_BEGIN "
                  + "avoids it. The flasher stub erases exactly.")
    }
    var confirmed = 0
    do throws(LoaderError) {
      // The ROM erases the whole region at FLASH_BEGIN; a stub erases as data arrives (§5.3, §6.1).
      let beginTimeout = isStub ? 3 : Self.timeout(perMB: Self.eraseWriteSecondsPerMB, size: part.count)
      try commandRetrying(.flashBegin(eraseSize: eraseSize, blocks: UInt32(blocks), blockSize: UInt32(blockSize),
                              offset: partOffset, encrypt: encryptWord),
                  timeout: beginTimeout, context: "for \(hexAddress(part.count)) bytes at \(hexAddress(partOffset))")
      var timeout = 3.0
      for seq in 0..<blocks {
        try checkStop(.write, offset: offset, size: image.count, doneUpTo: partOffset + UInt32(confirmed),
                      erasedUpTo: isStub ? nil : partOffset + UInt32(part.count))
        var block = Array(part[(seq * blockSize)..<min(part.count, (seq + 1) * blockSize)])
        if block.count < blockSize { block += [UInt8](repeating: 0xFF, count: blockSize - block.count) }
        let blockTimeout = Self.timeout(perMB: Self.eraseWriteSecondsPerMB, size: block.count)
        if !isStub { timeout = blockTimeout }
        let at = Int(partOffset) + seq * blockSize
        try sendDataBlock(.flashData(sequence: UInt32(seq), payload: block), timeout: timeout,
                          context: "block \(seq + 1) of \(blocks) at \(hexAddress(at))")
        // A ROM writes before it answers; a stub answers first and writes while the next block arrives.
        confirmed = isStub ? seq * blockSize : min(part.count, (seq + 1) * blockSize)
        if isStub { timeout = blockTimeout }
        progress?(from + min(part.count, (seq + 1) * blockSize), image.count)
      }
      if isStub {
        try connection.command(.flashEnd(runUserCode: true), timeout: timeout, context: "(stay in the loader)")
      }
    } catch {
      throw Self.interruptedOrPartial(error, offset: offset, size: image.count, upTo: partOffset + UInt32(confirmed))
    }
  }

  /// Writes `image[from...]` at `offset + from` as one fresh zlib stream (a restart cannot continue an old
  /// stream). Throws `.writeInterrupted` carrying the last address the loader has surely written.
  func writeCompressed(_ image: [UInt8], at offset: UInt32, from: Int, stream precomputed: [UInt8]? = nil,
                       progress: ProgressHandler?) throws(LoaderError) -> Int {
    let part = Array(image[from...])
    let partOffset = offset + UInt32(from)
    let stream: [UInt8]
    if let precomputed { stream = precomputed } else { stream = try Deflate.compress(part) }
    let blockSize = flashWriteBlockSize
    let blocks = (stream.count + blockSize - 1) / blockSize
    // A ROM is told the size rounded up to its 1 KiB blocks and erases all of it at BEGIN; a stub gets the
    // exact size and erases as it goes (§6.1).
    let sizeWord = isStub ? part.count : (part.count + 0x3FF) / 0x400 * 0x400
    let counter = InflateCounter()
    var written = 0
    var confirmed = 0
    do throws(LoaderError) {
      let beginTimeout = isStub ? 3 : Self.timeout(perMB: Self.eraseWriteSecondsPerMB, size: sizeWord)
      try commandRetrying(.flashDeflBegin(size: UInt32(sizeWord), blocks: UInt32(blocks), blockSize: UInt32(blockSize),
                                  offset: partOffset, encrypt: encryptWord),
                  timeout: beginTimeout, context: "for \(hexAddress(part.count)) bytes at \(hexAddress(partOffset))")
      var timeout = 3.0
      for seq in 0..<blocks {
        try checkStop(.write, offset: offset, size: image.count, doneUpTo: partOffset + UInt32(confirmed),
                      erasedUpTo: isStub ? nil : partOffset + UInt32(part.count))
        let block = Array(stream[(seq * blockSize)..<min(stream.count, (seq + 1) * blockSize)])
        let expands = counter.count(block) ?? blockSize
        // esptool: the stub acknowledges before it inflates, so each block waits for the erase and write of
        // the previous one's decompressed size (§5.4).
        let blockTimeout = Self.timeout(perMB: Self.eraseWriteSecondsPerMB, size: expands)
        if !isStub { timeout = blockTimeout }
        try sendDataBlock(.flashDeflData(sequence: UInt32(seq), payload: block), timeout: timeout,
                          context: "block \(seq + 1) of \(blocks) (data from \(hexAddress(Int(partOffset) + written)))")
        confirmed = isStub ? written : written + expands
        written += expands
        if isStub { timeout = blockTimeout }
        progress?(from + min(written, part.count), image.count)
      }
      if isStub {
        try connection.command(.flashDeflEnd(runUserCode: true), timeout: timeout, context: "(stay in the loader)")
      }
    } catch {
      throw Self.interruptedOrPartial(error, offset: offset, size: image.count,
                                      upTo: partOffset + UInt32(min(confirmed, part.count)))
    }
    return stream.count
  }

  /// A stop request passes through as it is; anything else becomes `.writeInterrupted` with the range.
  static func interruptedOrPartial(_ error: LoaderError, offset: UInt32, size: Int, upTo: UInt32) -> LoaderError {
    if case .interrupted = error { return error }
    if case .writeInterrupted = error { return error }
    return .writeInterrupted(offset: offset, size: UInt32(size), writtenUpTo: upTo, underlying: error)
  }
}
