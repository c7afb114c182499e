import ESPLoader
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How loader failures read on the command line: the message carries the numbers, the hint the usual
/// causes (users' pain points P8–P10), and the exit code says which kind: 69 no device or no answer,
/// 74 I/O, 65 data that does not match.
extension LoaderError: ReportableError {
  public var message: String { description }

  public var hint: String? {
    switch self {
    case .connectFailed(_, _, let bootLog):
      var text = """
        the usual causes: the board is not in download mode (hold BOOT/FLASH (GPIO0) and tap RESET/EN, then \
        retry); another program (a serial monitor) holds the port; the wrong port (see `espflash-swift ports`); \
        a charge-only USB cable; for native-USB boards try --before usb-reset; and if it fails only after \
        connecting, a --baud too high for the adapter (CH340 boards: try 115200 or 460800)
        """
      if let log = bootLog?.trimmingCharacters(in: .whitespacesAndNewlines), !log.isEmpty {
        text += ". The board printed: \"\(log.suffix(200))\""
        if log.contains("boot:") && !log.contains("DOWNLOAD") { text += " (it booted normally, not into the loader)" }
      }
      return text
    case .timeout:
      return "the board stopped answering: a serial monitor or another program reading the same port takes "
        + "the replies (close it); otherwise check the cable and power, and try a lower --baud (115200); "
        + "CH340 adapters are often unreliable above 460800"
    case .deviceRejected(_, _, let status):
      switch status.code {
      case 0x07, 0xC1: return "data was corrupted on the way: try a lower --baud or another cable"
      case 0x05 where Self.everyLoaderHas(self):
        // The ROM answers 0x05 to a request it cannot parse: for a command it certainly has, that means bytes
        // were lost or changed on the way, not a missing feature.
        return "the loader could not parse the request, so bytes were lost or corrupted on the way: try a lower "
          + "--baud or another cable, and close any other program using the port"
      case 0x05, 0xC3, 0xFF: return "this loader does not implement the command (or could not parse it); "
        + "the flasher stub has more commands (--stub auto)"
      case 0x08, 0x09, 0xC4: return "the flash chip failed the operation; check the power supply, or the flash may be worn"
      default: return nil
      }
    case .transport(let error, _):
      return error.hint
    case .unknownChip:
      return "pass --chip to say which chip it is"
    case .chipMismatch:
      return "drop --chip (auto-detect) or pick the right board/port"
    case .unsupported(_, _, _, let remedy):
      return remedy
    case .verifyFailed:
      return "write it again; if it keeps failing, the flash or power supply is faulty"
    case .readChecksumMismatch:
      return "data was corrupted on the way: try a lower --baud"
    case .badStub:
      return "pass --stub auto (esptool's stub from an installed esptool) or --stub none"
    case .stubNotFound:
      return "install esptool (pip install esptool), set ESPFLASH_STUB_DIR, or pass --stub PATH / --stub none"
    case .stubDidNotStart:
      return "retry with --stub none (ROM loader), or use a stub JSON that matches this chip"
    case .writeInterrupted(_, _, _, let underlying):
      return "the region is partly written: run write-flash again. " + (underlying.hint ?? "")
    case .linkFailedAfterBaudChange(_, let previous, _):
      return "the adapter or cable cannot carry that rate, or another program reading the port took the reply "
        + "(close serial monitors): retry with a lower --baud (460800, 230400 or \(previous)); "
        + "the board needs a reset first"
    case .invalidRequest:
      return nil
    case .malformedReply:
      return "another program may be using the port (close serial monitors), or the link corrupts bytes "
        + "(try a lower --baud)"
    case .interrupted(let stop):
      return Self.resumeHint(stop)
    case .unreadableFlashID:
      return "check the module's flash wiring and power; in-package flash (PICO-D4, D2WD) needs the efuse pad "
        + "configuration, which attaching uses; pass --flash-size SIZE to go on without the id"
    case .compressionFailed:
      return "retry with --no-compress"
    }
  }

  public var exitStatus: ExitStatus {
    switch self {
    case .timeout, .connectFailed, .unknownChip, .chipMismatch, .stubDidNotStart, .unsupported,
         .linkFailedAfterBaudChange: .unavailable
    case .verifyFailed: .dataError
    case .deviceRejected, .malformedReply, .readChecksumMismatch: .ioError
    case .transport(let error, _): error.exitStatus
    // A stub file that cannot be read is a FileAccessError (66) before it gets here; this is its content.
    case .badStub: .dataError
    case .stubNotFound: .noInput
    case .writeInterrupted(_, _, _, let underlying): underlying.exitStatus
    case .invalidRequest: .usage
    case .compressionFailed: .failure
    case .interrupted: .interrupted
    case .unreadableFlashID: .unavailable
    }
  }
}

extension LoaderError {
  /// Commands every loader (ROM or stub, every chip) implements: a 0x05 reply to one of them means a
  /// damaged request.
  static func everyLoaderHas(_ error: LoaderError) -> Bool {
    guard case .deviceRejected(let command, _, _) = error else { return false }
    return ["FLASH_BEGIN", "FLASH_DATA", "MEM_BEGIN", "MEM_DATA", "MEM_END", "SYNC", "READ_REG", "WRITE_REG"]
      .contains(command)
  }

  /// What finishing an interrupted operation takes; the commands themselves add the exact command line.
  static func resumeHint(_ stop: Interruption) -> String {
    switch stop.kind {
    case .write: "the chip is still in the loader; run the same command again to write the whole region"
    case .erase: "the chip is still in the loader; run the same command again to erase the rest"
    case .read: "no partial file was written; run the same command again to read it"
    }
  }
}

extension TransportError: ReportableError {
  public var message: String { description }

  public var hint: String? {
    switch self {
    case .busy:
      return "close the serial monitor (Arduino IDE, screen, minicom, another espflash/esptool) that holds it, then retry"
    case .cannotOpen(_, let errno, _):
      if errno == EACCES { return "no permission: add yourself to the 'dialout' (Linux) group, then log in again" }
      if errno == ENOENT { return "no such port: is the board plugged in? `espflash-swift ports` lists what the system sees" }
      if errno == ECONNREFUSED { return "nothing listens there: start the server (e.g. `espflash-swift simulate`) first" }
      return nil
    case .unsupportedBaudRate:
      return "pick a rate the adapter supports, e.g. 115200, 460800 or 921600"
    case .disconnected:
      return "the board or cable went away: reconnect and retry"
    case .invalidAddress:
      return "use a device path, socket://HOST:PORT or sim://esp8266"
    default:
      return nil
    }
  }

  public var exitStatus: ExitStatus {
    switch self {
    case .busy, .disconnected: .unavailable
    // errno 0: not an OS open failure but a file behind the address that cannot be read (a sim:// image).
    case .cannotOpen(_, let errno, _): errno == EACCES ? .ioError : errno == 0 ? .noInput : .unavailable
    case .unsupportedBaudRate, .invalidAddress: .usage
    case .io, .controlLinesUnsupported, .closed: .ioError
    }
  }
}

