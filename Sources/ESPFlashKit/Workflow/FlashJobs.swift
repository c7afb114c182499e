import ESPLoader
import Foundation

/// A file to go at a flash address, read into memory.
public struct FlashRegionInput: Sendable, Equatable {
  public var address: UInt32
  public var path: String
  public var data: [UInt8]

  public init(address: UInt32, path: String, data: [UInt8]) {
    self.address = address
    self.path = path
    self.data = data
  }

  /// Reads every file and refuses regions that overlap.
  public static func load(_ pairs: [(address: UInt32, path: String)]) throws -> [FlashRegionInput] {
    var inputs: [FlashRegionInput] = []
    for pair in pairs { inputs.append(FlashRegionInput(address: pair.address, path: pair.path, data: try HostFiles.read(pair.path))) }
    let sorted = inputs.sorted { $0.address < $1.address }
    for (a, b) in zip(sorted, sorted.dropFirst()) where UInt64(a.address) + UInt64(a.data.count) > UInt64(b.address) {
      throw FlashRegionOverlap(first: a.path, firstAddress: Int(a.address), firstSize: a.data.count,
                               second: b.path, secondAddress: Int(b.address))
    }
    return inputs
  }
}

/// Two files would share flash.
public struct FlashRegionOverlap: Error, Equatable, Sendable, CustomStringConvertible {
  public var first: String, firstAddress: Int, firstSize: Int
  public var second: String, secondAddress: Int

  public var description: String {
    "\(first) at \(Hex.address(firstAddress)) (\(firstSize) bytes) overlaps \(second) at \(Hex.address(secondAddress))"
  }
}

/// Regions of flash that do not match their files (`verify-flash`); every region was compared.
public struct FlashVerifyMismatch: Error, Sendable, CustomStringConvertible {
  public var results: [FlashVerifyEntry]
  public var differing: Int { results.filter { !$0.verified }.count }

  public var description: String {
    let total = results.count, bad = differing
    return "\(bad) of \(total) region\(total == 1 ? "" : "s") differ from the file\(bad == 1 ? "" : "s")"
  }
}

/// The image-header settings `write-flash` patches into a bootloader (§6.2).
public struct FlashWriteOptions: Sendable {
  public var compress: Bool
  public var eraseAll: Bool
  public var mode: FlashMode?
  public var frequency: FlashFrequency?
  public var size: FlashSizeSetting

  public init(compress: Bool = true, eraseAll: Bool = false, mode: FlashMode? = nil, frequency: FlashFrequency? = nil,
              size: FlashSizeSetting = .keep) {
    self.compress = compress
    self.eraseAll = eraseAll
    self.mode = mode
    self.frequency = frequency
    self.size = size
  }
}

/// The raw flash jobs on a connected board: write, verify, read.
public enum FlashJobs {
  /// Refuses, before anything is written, a file that would run past the flash: the chip answers that with a
  /// bare "flash read error" (ROM 0x109), which sends people looking at their power supply.
  static func checkInsideFlash(_ inputs: [FlashRegionInput], flasher: Flasher, override: FlashSizeSetting) throws {
    let flashSize: Int
    if case .bytes(let size) = override { flashSize = size } else { flashSize = try flasher.detectFlashSize() }
    for input in inputs where Int(input.address) + input.data.count > flashSize {
      let end = Int(input.address) + input.data.count
      throw ProjectError("\(input.path) (\(input.data.count) bytes at \(Hex.address(input.address))) ends at "
                         + "\(Hex.address(end)), past the end of the board's \(ByteSize.megabytes(flashSize)) flash "
                         + "(\(flasher.chip))",
                         hint: "the size comes from the flash chip's JEDEC id (--flash-size overrides it); check the "
                           + "address and the board's flash size; nothing was written", kind: .usage)
    }
  }

  /// Writes each file (patching a bootloader's header), verifying by MD5 where the loader can.
  public static func write(_ inputs: [FlashRegionInput], options: FlashWriteOptions, session: DeviceSession,
                           events: @escaping WorkflowEvents) throws -> [FlashWriteEntry] {
    let flasher = session.flasher
    if case .bytes(let size) = options.size { flasher.flashSizeOverride = size }
    try checkInsideFlash(inputs, flasher: flasher, override: options.size)
    if options.eraseAll {
      events(.note("Erasing the whole flash…"))
      try flasher.eraseFlash()
    }
    var results: [FlashWriteEntry] = []
    for (index, input) in inputs.enumerated() {
      var data = input.data
      if input.address == flasher.chip.bootloaderOffset, flasher.secureDownloadMode || flasher.secureBootEnabled {
        events(.note("Security features are enabled, so the image header of \(input.path) is not changed (as esptool)."))
      } else if input.address == flasher.chip.bootloaderOffset {
        let detected = options.size == .detect ? try flasher.detectFlashSize() : flasher.detectedFlashSize
        data = try ImageHeader.patch(data, address: input.address, chip: flasher.chip, mode: options.mode,
                                     frequency: options.frequency, size: options.size, detectedSize: detected,
                                     warn: { events(.note($0)) })
        if data != input.data { events(.note("Patched the image header of \(input.path) (flash mode/frequency/size).")) }
      }
      let progress = TransferReporter("Writing \(Hex.address(input.address))", total: data.count, events: events)
      let start = Date()
      let result: WriteResult
      do {
        result = try flasher.writeFlash(data, at: input.address, compress: options.compress, progress: progress.handler)
        progress.finish()
      } catch {
        progress.finish()
        let rest = inputs.dropFirst(index + 1)
        if !rest.isEmpty {
          events(.note("Not started: " + rest.map { "\($0.path) at \(Hex.address($0.address))" }.joined(separator: ", ")))
        }
        throw error
      }
      let seconds = Date().timeIntervalSince(start)
      var entry = FlashWriteEntry(file: input.path, address: Hex.json(result.offset), size: data.count,
                                  seconds: (seconds * 1000).rounded() / 1000, compressedSize: result.compressedSize,
                                  verified: false)
      switch result.verification {
      case .verified(let md5): entry.verified = true; entry.md5 = md5
      case .notVerified(let reason): entry.notVerifiedReason = reason
      }
      events(.note(writtenLine(result, seconds: seconds) + "."))
      results.append(entry)
    }
    return results
  }

  /// `Wrote 4096 bytes (120 compressed) at 0x300000 in 0.1 s (327.7 kbit/s); verified, MD5 …`.
  static func writtenLine(_ result: WriteResult, seconds: Double) -> String {
    var line = "Wrote \(result.dataSize) bytes"
    if let compressed = result.compressedSize { line += " (\(compressed) compressed)" }
    line += " at \(Hex.address(result.offset)) in " + String(format: "%.1f s", seconds)
    if seconds > 0 { line += String(format: " (%.1f kbit/s)", Double(result.dataSize) * 8 / seconds / 1000) }
    switch result.verification {
    case .verified(let md5): line += "; verified, MD5 \(md5)"
    case .notVerified(let reason): line += "; NOT verified: \(reason)"
    }
    return line
  }

  /// Compares each region's flash MD5 with its file's; throws `FlashVerifyMismatch` (holding every result)
  /// when any differs.
  public static func verify(_ inputs: [FlashRegionInput], session: DeviceSession,
                            events: WorkflowEvents) throws -> [FlashVerifyEntry] {
    var out: [FlashVerifyEntry] = []
    for input in inputs {
      let expected = Flasher.md5Hex(input.data)
      let actual = Hex.bytes(try session.flasher.flashMD5(offset: input.address, size: input.data.count))
      let ok = expected == actual
      events(.note("\(Hex.address(input.address)) \(input.path): "
                   + (ok ? "verified (MD5 \(actual))" : "DIFFERS: flash MD5 \(actual), file MD5 \(expected)")))
      out.append(FlashVerifyEntry(file: input.path, address: Hex.json(input.address), size: input.data.count,
                                  verified: ok, flashMD5: actual, fileMD5: expected))
    }
    guard out.allSatisfy(\.verified) else { throw FlashVerifyMismatch(results: out) }
    return out
  }

  /// Reads `size` bytes at `offset`, or up to the end of the flash when `size` is nil.
  public static func read(offset: UInt32, size: Int?, session: DeviceSession,
                          events: @escaping WorkflowEvents) throws -> [UInt8] {
    let count = try size ?? (session.flasher.detectFlashSize() - Int(offset))
    guard count > 0 else { throw FlashAddressError.beyondFlashEnd(Int(offset)) }
    let progress = TransferReporter("Reading \(Hex.address(offset))", total: count, events: events)
    defer { progress.finish() }
    return try session.flasher.readFlash(offset: offset, size: count, progress: progress.handler)
  }
}

/// An address or size the flash cannot take.
public enum FlashAddressError: Error, Equatable, Sendable, CustomStringConvertible {
  case beyondFlashEnd(Int)
  case unaligned(address: Int, size: Int)

  public var description: String {
    switch self {
    case .beyondFlashEnd(let address): "\(Hex.address(address)) is beyond the end of the flash"
    case .unaligned(let address, let size):
      "erase-region needs a 4 KiB-aligned address and size (got \(Hex.address(address)) + \(Hex.address(size)))"
    }
  }
}
