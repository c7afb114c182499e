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
    guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
    return [UInt8](data)
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
    let temp = folder.appendingPathComponent(
      ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
    do {
      try Data(bytes).write(to: temp, options: [.withoutOverwriting])
    } catch {
      try? FileManager.default.removeItem(at: temp)
      throw .cannotWrite(path: path, reason: error.localizedDescription)
    }
    // rename(2) replaces an existing file atomically (FileManager.replaceItemAt is unreliable on Linux).
    guard rename(temp.path, url.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temp)
      throw .cannotWrite(path: path, reason: reason)
    }
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
