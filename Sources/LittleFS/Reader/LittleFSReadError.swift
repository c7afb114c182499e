/// Why an image cannot be read. Every case carries the numbers a user needs to find the spot.
public enum LittleFSReadError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No block size gives a superblock ("littlefs" at byte 8 of block 0 or 1 and a valid commit).
  case noSuperblock(imageBytes: Int)
  /// The image is shorter than the superblock's block count needs.
  case truncated(imageBytes: Int, neededBytes: Int)
  /// Neither block of a metadata pair holds a valid commit (littlefs: "Corrupted dir pair").
  case corruptPair(block0: Int, block1: Int, path: String)
  /// A block number outside the file system.
  case blockOutOfRange(block: Int, blockCount: Int, path: String)
  /// The superblock asks for a littlefs this reader does not know (major 2, minor ≤ 1).
  case unsupportedVersion(major: Int, minor: Int)
  /// The superblock's block size differs from the one requested.
  case blockSizeMismatch(requested: Int, superblock: Int)
  /// A file's CTZ skip-list does not lead back to its first block.
  case corruptFile(path: String, block: Int, reason: String)
  /// A tail or directory reference loops back to a pair already visited.
  case cycle(block: Int)
  case notFound(path: String)
  case notAFile(path: String)

  public var description: String {
    switch self {
    case .noSuperblock(let n): return "no LittleFS superblock in \(n) bytes (no \"littlefs\" magic at byte 8 of block 0 or 1 for any block size)"
    case .truncated(let n, let need): return "image has \(n) bytes, the superblock needs \(need)"
    case .corruptPair(let a, let b, let path): return "corrupted metadata pair {\(a), \(b)} (\(path)): neither block holds a valid commit"
    case .blockOutOfRange(let b, let count, let path): return "block \(b) out of range (block count \(count)) in \(path)"
    case .unsupportedVersion(let major, let minor): return "unsupported littlefs disk version \(major).\(minor)"
    case .blockSizeMismatch(let req, let sb): return "block size \(req) requested, the superblock says \(sb)"
    case .corruptFile(let path, let block, let reason): return "\(path): block \(block): \(reason)"
    case .cycle(let b): return "metadata pairs loop back to block \(b)"
    case .notFound(let p): return "\(p): no such file"
    case .notAFile(let p): return "\(p): not a file"
    }
  }
}
