#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular input file mapped read-only, for readers that look at a small part of a large file: listing a
/// 14 MB SPIFFS image reads about 3% of its pages, and mapping lets the kernel bring in only those instead of
/// copying the whole file into fresh memory first (that copy was a third of `fs ls`'s time).
///
/// If the file is truncated by someone else while mapped, touching the lost pages raises SIGBUS; an image
/// file being listed is not expected to change underneath (the `read()` path had a similar race, with
/// a short read instead of a crash).
public final class MappedFile {
  public let path: String
  private let base: UnsafeMutableRawPointer?
  private let count: Int
  /// Used when the file cannot be mapped (an empty file, a file system without mmap).
  private let fallback: [UInt8]?

  /// Maps `path` (a regular file or a symlink to one; `limit` bounds the size before anything is read).
  public init(_ path: String, limit: Int? = nil) throws(FileAccessError) {
    self.path = path
    let size = try HostFiles.regularFileSize(path, limit: limit)
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .unreadable(path: path) }
    defer { close(fd) }
    if size > 0, let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED {
      base = mapped
      count = size
      fallback = nil
    } else {
      base = nil
      count = 0
      fallback = try HostFiles.readWhole(path, expected: size)
    }
  }

  deinit {
    if let base { munmap(base, count) }
  }

  /// Calls `body` with the file's bytes; the pointer is valid only inside `body`.
  public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    if let fallback { return try fallback.withUnsafeBytes(body) }
    return try body(UnsafeRawBufferPointer(start: base, count: count))
  }
}
