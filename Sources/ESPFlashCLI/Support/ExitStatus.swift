import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The documented exit codes (sysexits, as ArgumentParser already uses 64 for usage errors).
public enum ExitStatus: Int32, CaseIterable, Sendable {
  case success = 0
  /// Anything not classified below (a bug, an unexpected OS state).
  case failure = 1
  /// Bad command line: unknown option, malformed size, impossible layout.
  case usage = 64
  /// Bad data: a corrupt or wrong-layout image, data that does not fit, a failed verify, a credential error.
  case dataError = 65
  /// An input file or folder does not exist or cannot be read.
  case noInput = 66
  /// The device did not answer: no sync, a timeout, an unknown chip.
  case unavailable = 69
  /// I/O failed: the port, the socket, or writing an output file.
  case ioError = 74
  /// Stopped by Ctrl-C or SIGTERM at a block boundary (128 + SIGINT, as shells report it).
  case interrupted = 130

  static let helpText = """
    Exit status:
      0   success
      1   unexpected failure
      64  usage error (bad option, size or layout)
      65  bad data (corrupt image, does not fit, verify failed, credential errors)
      66  input missing (file or folder not found)
      69  device unavailable (no sync, timeout, unknown chip)
      74  I/O error (port, socket, output file)
      130 stopped by Ctrl-C / SIGTERM (the range left unwritten is printed)
    """

  public static func exit(_ status: ExitStatus) -> Never {
    Foundation_exit(status.rawValue)
  }
}

@inline(__always) private func Foundation_exit(_ code: Int32) -> Never {
  #if canImport(Glibc)
  Glibc.exit(code)
  #else
  Darwin.exit(code)
  #endif
}
