/// A data folder (or an order file for it) that cannot be packed as given.
public enum FolderError: Error, Equatable, Sendable, CustomStringConvertible {
  case noSuchFolder(path: String)
  case notAFolder(path: String)
  case unreadableFolder(path: String, reason: String)
  /// Nested deeper than `limit` folders (SPIFFS names of 31 bytes cannot be that deep anyway).
  case tooDeep(path: String, limit: Int)
  /// A symlink leads back to a folder being walked.
  case symlinkLoop(path: String)
  case unreadableOrderFile(path: String)
  /// The order file does not list exactly the folder's files (at most ten names of each kind).
  case orderMismatch(orderFile: String, missing: [String], unknown: [String], duplicates: [String])

  public var description: String {
    switch self {
    case .noSuchFolder(let path): return "no such folder: \(path)"
    case .notAFolder(let path): return "\(path) is not a folder"
    case .unreadableFolder(let path, let reason): return "cannot read folder \(path): \(reason)"
    case .tooDeep(let path, let limit): return "\(path) is nested more than \(limit) folders deep"
    case .symlinkLoop(let path): return "symlink loop: \(path) leads back to a folder being walked"
    case .unreadableOrderFile(let path): return "cannot read order file \(path)"
    case .orderMismatch(let orderFile, let missing, let unknown, let duplicates):
      var parts: [String] = []
      if !missing.isEmpty { parts.append("not in the order file: " + missing.joined(separator: ", ")) }
      if !unknown.isEmpty { parts.append("not in the folder: " + unknown.joined(separator: ", ")) }
      if !duplicates.isEmpty { parts.append("listed twice: " + duplicates.joined(separator: ", ")) }
      return "\(orderFile) does not list exactly the files of the data folder; " + parts.joined(separator: "; ")
    }
  }
}
