import Foundation
#if canImport(CoreFoundation)
// swift-certificates (loaded through Credentials) imports CoreFoundation, which then owns Glibc's `stat`
// for member lookup; importing it here keeps `stat()`/`st_mode` visible (MemberImportVisibility).
import CoreFoundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that reads whole input files and writes output files. Outputs appear whole or not at all.
public enum HostFiles {
  /// Reads a whole regular file (or a symlink to one). `limit` bounds the size before anything is read.
  public static func read(_ path: String, limit: Int? = nil) throws(FileAccessError) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .noSuchFile(path: path) }
    guard !isDirectory.boolValue else { throw .isAFolder(path: path) }
    var info = stat()
    // Devices and pipes could stream forever; an input is a regular file (stat follows a symlink to it).
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path) }
    if let limit, Int(info.st_size) > limit { throw .tooLarge(path: path, size: Int(info.st_size), limit: limit) }
    return try readWhole(path, expected: Int(info.st_size))
  }

  /// Reads the file straight into the array (no Data in between: one copy of a 14 MB image, not two).
  static func readWhole(_ path: String, expected: Int) throws(FileAccessError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .unreadable(path: path) }
    defer { close(fd) }
    // Read into uninitialised capacity: zero-filling 14 MB first would touch every page twice.
    var failed = false
    let bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
      var done = 0
      while done < expected {
        let n = systemRead(fd, buffer.baseAddress! + done, expected - done)
        if n < 0, errno == EINTR { continue }
        if n < 0 { failed = true }
        guard n > 0 else { break }
        done += n
      }
      count = done
    }
    guard !failed else { throw .unreadable(path: path) }
    // A file that shrank meanwhile is read as it is now (count = what was read).
    return bytes
  }

  /// Writes `bytes` to `path` via a temporary file in the same folder and a rename, so a reader never sees a
  /// partial file and a failure leaves nothing behind. An existing symlink at `path` is replaced, not followed.
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileAccessError) {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw .outputFolderMissing(path: path, folder: folder.path)
    }
    // Straight from the array through POSIX calls: a Data copy of a 14 MB image counted against the build's
    // peak memory.
    try OutputFiles.writeReplacing(bytes, to: path)
  }

  /// Creates `path` and any missing parents.
  public static func createFolder(_ path: String) throws(FileAccessError) {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw .cannotCreateFolder(path: path, reason: error.localizedDescription)
    }
  }

  /// `folder/name`, without doubling a trailing slash.
  public static func join(_ folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }
}

/// read(2); HostFiles has its own `read`, so the system call needs a name of its own.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
  #if canImport(Glibc)
  Glibc.read(fd, buffer, count)
  #else
  Darwin.read(fd, buffer, count)
  #endif
}
