/// Everything the loader client can fail with, each carrying what a user needs to act: the command, where
/// in the transfer, the addresses and the numbers expected vs got.
public enum LoaderError: Error, Sendable, CustomStringConvertible {
  /// No (matching) reply in time. `context` says where: "block 37 of 1000 at 0x309400".
  case timeout(command: String, context: String?, seconds: Double)
  /// The device answered with a failure status.
  case deviceRejected(command: String, context: String?, status: DeviceStatus)
  /// A reply that cannot be what the command expects (too short, wrong shape).
  case malformedReply(command: String, reason: String)
  /// The OS, socket or port failed under the protocol.
  case transport(TransportError, during: String?)
  /// Every connect attempt failed; `tried` lists each attempt's reset strategy and outcome.
  case connectFailed(port: String, tried: [String], bootLog: String?)
  /// The chip answered but is not one this tool knows.
  case unknownChip(magic: UInt32?, imageChipID: UInt32?)
  /// `--chip` named one chip and the board is another.
  case chipMismatch(expected: Chip, detected: Chip)
  /// The operation needs something the connected loader does not have (ESP8266 ROM reading flash, …).
  case unsupported(operation: String, loader: String, reason: String, remedy: String)
  /// After writing, the flash MD5 differs from the data's.
  case verifyFailed(offset: UInt32, size: UInt32, expected: String, actual: String)
  /// A read's own MD5 trailer disagreed with the data received.
  case readChecksumMismatch(offset: UInt32, size: UInt32, expected: String, actual: String)
  /// A stub file that cannot be used.
  case badStub(path: String, reason: String)
  /// `--stub auto` with no installed esptool stub for this chip.
  case stubNotFound(chip: Chip, searched: [String])
  /// The stub was uploaded but never said OHAI.
  case stubDidNotStart(chip: Chip, detail: String)
  /// The link went away in the middle of a write: the range from `unwrittenFrom` on was not written.
  indirect case writeInterrupted(offset: UInt32, size: UInt32, writtenUpTo: UInt32, underlying: LoaderError)
  /// The loader switched to `baud` but the link does not work at that rate.
  case linkFailedAfterBaudChange(baud: Int, previous: Int, underlying: String)
  /// A caller passed something impossible (unaligned erase, a region beyond the flash).
  case invalidRequest(String)
  /// zlib refused to compress (out of memory).
  case compressionFailed(code: Int32)
  /// Stopped on request (Ctrl-C, SIGTERM) at a block boundary; the chip is left in the loader.
  case interrupted(Interruption)
  /// RDID returned all ones or all zeros: no flash answered on the SPI bus.
  case unreadableFlashID(id: UInt32, chip: Chip)

  public var description: String {
    switch self {
    case .timeout(let command, let context, let seconds):
      "no reply to \(command)\(context.map { " " + $0 } ?? "") after \(Self.seconds(seconds))"
    case .deviceRejected(let command, let context, let status):
      "\(command)\(context.map { " " + $0 } ?? "") failed: \(status)"
    case .malformedReply(let command, let reason):
      "unexpected reply to \(command): \(reason)"
    case .transport(let error, let during):
      during.map { "\(error) (during \($0))" } ?? error.description
    case .connectFailed(let port, let tried, _):
      "failed to connect to an Espressif bootloader on \(port) (\(tried.count) attempt\(tried.count == 1 ? "" : "s"): \(Self.collapse(tried).joined(separator: "; ")))"
    case .unknownChip(let magic, let id):
      "unknown chip: magic register " + (magic.map(hexAddress) ?? "unreadable")
        + (id.map { ", chip id \($0)" } ?? "")
    case .chipMismatch(let expected, let detected):
      "this is an \(detected), not an \(expected) as --chip says"
    case .unsupported(let operation, let loader, let reason, _):
      "\(operation) is not possible with the \(loader): \(reason)"
    case .verifyFailed(let offset, let size, let expected, let actual):
      "verify failed for \(hexAddress(size)) bytes at \(hexAddress(offset)): flash MD5 \(actual), file MD5 \(expected)"
    case .readChecksumMismatch(let offset, let size, let expected, let actual):
      "read of \(hexAddress(size)) bytes at \(hexAddress(offset)) is corrupt: device MD5 \(expected), received data MD5 \(actual)"
    case .badStub(let path, let reason):
      "cannot use stub \(path): \(reason)"
    case .stubNotFound(let chip, let searched):
      "no flasher stub for \(chip) found (looked in \(searched.isEmpty ? "no esptool installation" : searched.joined(separator: ", ")))"
    case .stubDidNotStart(let chip, let detail):
      "the \(chip) flasher stub was uploaded but did not start: \(detail)"
    case .writeInterrupted(let offset, let size, let upTo, let underlying):
      "write of \(hexAddress(size)) bytes at \(hexAddress(offset)) interrupted: \(underlying); "
        + "flash \(hexAddress(upTo))..\(hexAddress(UInt64(offset) + UInt64(size) - 1)) is not (fully) written"
    case .linkFailedAfterBaudChange(let baud, let previous, let underlying):
      "the link stopped working after switching from \(previous) to \(baud) baud (\(underlying))"
    case .invalidRequest(let text):
      text
    case .compressionFailed(let code):
      "zlib compression failed (code \(code))"
    case .interrupted(let stop):
      stop.description
    case .unreadableFlashID(let id, let chip):
      "the \(chip)'s flash did not answer its JEDEC id request (read \(hexAddress(id & 0xFF_FFFF))), so its size is unknown"
    }
  }

  /// Shows the first four attempts and counts the rest, so a 7-attempt failure still says 7.
  static func collapse(_ tried: [String]) -> [String] {
    guard tried.count > 4 else { return tried }
    return Array(tried.prefix(4)) + ["… \(tried.count - 4) more like these"]
  }

  static func seconds(_ s: Double) -> String {
    if s >= 1, s == s.rounded() { return "\(Int(s)) s" }
    return String(Int((s * 1000).rounded())) + " ms"
  }
}

/// Where an operation stopped on request, and what state the flash is in.
public struct Interruption: Sendable, Equatable, CustomStringConvertible {
  public enum Kind: String, Sendable { case write, erase, read }
  public var kind: Kind
  public var offset: UInt32
  public var size: Int
  /// Everything before this address is complete (written and acknowledged, erased, or received).
  public var doneUpTo: UInt32
  /// Write only: where the erased-but-unwritten part ends (the ROM erases the whole region at BEGIN, a stub
  /// a little ahead of the data); nil when nothing beyond `doneUpTo` was erased.
  public var erasedUpTo: UInt32?

  public init(kind: Kind, offset: UInt32, size: Int, doneUpTo: UInt32, erasedUpTo: UInt32? = nil) {
    self.kind = kind
    self.offset = offset
    self.size = size
    self.doneUpTo = doneUpTo
    self.erasedUpTo = erasedUpTo
  }

  public var end: UInt64 { UInt64(offset) + UInt64(size) }

  public var description: String {
    let last = hexAddress(end - 1)
    switch kind {
    case .write:
      var text = "write of \(hexAddress(size)) bytes at \(hexAddress(offset)) stopped on request: "
      text += doneUpTo > offset ? "\(hexAddress(offset))..\(hexAddress(doneUpTo - 1)) is written; " : "nothing is written; "
      text += "\(hexAddress(doneUpTo))..\(last) is not (fully) written"
      if let erased = erasedUpTo, erased > doneUpTo {
        text += " (\(hexAddress(doneUpTo))..\(hexAddress(erased - 1)) is erased)"
      }
      return text
    case .erase:
      return "erase of \(hexAddress(size)) bytes at \(hexAddress(offset)) stopped on request: "
        + (doneUpTo > offset ? "\(hexAddress(offset))..\(hexAddress(doneUpTo - 1)) is erased, " : "")
        + "\(hexAddress(doneUpTo))..\(last) is not"
    case .read:
      return "read of \(hexAddress(size)) bytes at \(hexAddress(offset)) stopped on request at "
        + "\(hexAddress(doneUpTo)); nothing was saved"
    }
  }
}
