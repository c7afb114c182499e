import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C and SIGTERM during a write, erase or read: the first one asks the flasher to stop at the next
/// block boundary (it then reports what is done and exits 130); before the first block boundary is polled
/// (opening the port, connecting), or on a second signal, the process ends at once with 130.
enum StopSignal {
  nonisolated(unsafe) private static var requestedFlag: sig_atomic_t = 0
  nonisolated(unsafe) private static var gracefulFlag: sig_atomic_t = 0

  static var requested: Bool { requestedFlag != 0 }

  /// The flasher's block-boundary check: from the first call on, a signal waits for the next one.
  static func poll() -> Bool {
    gracefulFlag = 1
    return requestedFlag != 0
  }

  /// Installs the handlers; `graceful` says whether a stop can wait for a block boundary now.
  static func install() {
    let handler: @convention(c) (Int32) -> Void = { _ in
      if StopSignal.gracefulFlag == 0 || StopSignal.requestedFlag != 0 { _exit(130) }
      StopSignal.requestedFlag = 1
      let text = "\nStopping at the next block boundary (press Ctrl-C again to quit at once)…\n"
      _ = text.withCString { write(2, $0, strlen($0)) }
    }
    signal(SIGINT, handler)
    signal(SIGTERM, handler)
    // A parent may have started us with these blocked (the mask survives exec); unblock them.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }
}

/// The exact command that finishes an interrupted job: the same command line, with the parts already done
/// replaced where the command knows them (`write-flash` drops the files written before the stop).
enum ResumeCommand {
  static func line(dropping pairs: [(String, String)] = [], replacingLast positional: [String]? = nil) -> String {
    var words = Array(CommandLine.arguments.dropFirst())
    for (address, file) in pairs {
      if let index = zip(words.indices, words.indices.dropFirst()).first(where: { words[$0.0] == address && words[$0.1] == file })?.0 {
        words.removeSubrange(index...(index + 1))
      }
    }
    if let positional, words.count >= positional.count {
      words.replaceSubrange((words.count - positional.count)..., with: positional)
    }
    return (["espflash-swift"] + words).map(quote).joined(separator: " ")
  }

  static func quote(_ word: String) -> String {
    let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+%".contains($0) }
    return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
