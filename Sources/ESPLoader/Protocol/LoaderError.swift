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
  /// A caller passed something impossible (unaligned erase, a region beyond the flash).
  case invalidRequest(String)
  /// zlib refused to compress (out of memory).
  case compressionFailed(code: Int32)

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
      "failed to connect to an Espressif bootloader on \(port) (\(tried.count) attempt\(tried.count == 1 ? "" : "s"): \(tried.joined(separator: "; ")))"
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
    case .invalidRequest(let text):
      text
    case .compressionFailed(let code):
      "zlib compression failed (code \(code))"
    }
  }

  static func seconds(_ s: Double) -> String {
    if s >= 1, s == s.rounded() { return "\(Int(s)) s" }
    return String(Int((s * 1000).rounded())) + " ms"
  }
}
