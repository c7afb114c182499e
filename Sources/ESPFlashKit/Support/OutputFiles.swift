import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output files written whole or not at all, without an fsync per file (extraction writes thousands).
///
/// The guarantee `fs extract` gives is that no partial file is left when something fails (a corrupt file, a
/// full disk, a refused name): a file that could not be written completely is removed before the next one
/// starts. It does not promise durability across a power cut, which would need an fsync per file (what made
/// extraction 4× slower than `mkspiffs -u`, which does neither).
enum OutputFiles {
  /// Creates `path` (which must not exist; a symlink there is not followed) and writes `bytes`. On failure the
  /// file is removed again.
  static func writeNew(_ bytes: [UInt8], to path: String) throws(FileAccessError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    var failure: Int32 = 0
    bytes.withUnsafeBytes { buffer in
      var done = 0
      while done < buffer.count {
        let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        done += n
      }
    }
    if close(fd) != 0, failure == 0 { failure = errno }
    if failure != 0 {
      unlink(path)
      throw .cannotWrite(path: path, reason: String(cString: strerror(failure)))
    }
  }

  /// Writes `bytes` under a temporary name in the same folder and renames it over `path`: a reader sees the
  /// old file or the whole new one; an existing symlink at `path` is replaced, not followed.
  static func writeReplacing(_ bytes: [UInt8], to path: String) throws(FileAccessError) {
    let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
    let temp = String(path[..<slash]) + ".\(path[slash...]).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    try writeNew(bytes, to: temp)
    guard rename(temp, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temp)
      throw .cannotWrite(path: path, reason: reason)
    }
  }

  /// A new, empty hidden folder beside `root` (which does not exist yet) to extract into; renamed to `root`
  /// once every file is written, so `root` appears complete or not at all.
  static func makeStagingFolder(for root: String) throws(FileAccessError) -> String {
    let parent = (root as NSString).deletingLastPathComponent
    let name = (root as NSString).lastPathComponent
    if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
      try HostFiles.createFolder(parent)
    }
    let staging = (parent.isEmpty ? "" : parent + "/") + ".\(name).extracting-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    guard mkdir(staging, 0o755) == 0 else {
      throw .cannotCreateFolder(path: staging, reason: String(cString: strerror(errno)))
    }
    return staging
  }

  /// Moves the finished staging folder to `root`; `root` must still not exist.
  static func publish(_ staging: String, as root: String) throws(FileAccessError) {
    guard SafeExtraction.lstatKind(root) == nil, rename(staging, root) == 0 else {
      let reason = SafeExtraction.lstatKind(root) == nil ? String(cString: strerror(errno)) : "it appeared meanwhile"
      removeTree(staging)
      throw .cannotCreateFolder(path: root, reason: reason)
    }
  }

  /// Removes a staging folder and everything in it (only folders this process created).
  static func removeTree(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
  }
}
