/// A file or folder on the host that could not be read or written. The path is always the one the caller gave.
public enum FileAccessError: Error, Equatable, Sendable, CustomStringConvertible {
  case noSuchFile(path: String)
  case isAFolder(path: String)
  /// A device, pipe or socket: it could stream forever.
  case notARegularFile(path: String)
  case tooLarge(path: String, size: Int, limit: Int)
  case unreadable(path: String)
  /// The folder an output file would go in does not exist.
  case outputFolderMissing(path: String, folder: String)
  case cannotWrite(path: String, reason: String)
  case cannotCreateFolder(path: String, reason: String)
  /// Something other than a real folder sits where a folder is needed (a symlink is never followed out).
  case notAFolder(path: String, symlink: Bool)

  public var description: String {
    switch self {
    case .noSuchFile(let path): "no such file: \(path)"
    case .isAFolder(let path): "\(path) is a directory, not a file"
    case .notARegularFile(let path): "\(path) is not a regular file"
    case .tooLarge(let path, let size, let limit):
      "\(path) is \(size) bytes; no SPIFFS layout is larger than \(limit >> 20) MiB"
    case .unreadable(let path): "cannot read \(path)"
    case .outputFolderMissing(let path, let folder): "cannot write \(path): folder \(folder) does not exist"
    case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
    case .cannotCreateFolder(let path, let reason): "cannot create folder \(path): \(reason)"
    case .notAFolder(let path, let symlink):
      symlink ? "\(path) is a symlink; not following it out of the extraction folder" : "\(path) exists and is not a folder"
    }
  }

  /// The path the error is about.
  public var path: String {
    switch self {
    case .noSuchFile(let p), .isAFolder(let p), .notARegularFile(let p), .tooLarge(let p, _, _), .unreadable(let p),
         .outputFolderMissing(let p, _), .cannotWrite(let p, _), .cannotCreateFolder(let p, _), .notAFolder(let p, _):
      p
    }
  }
}
