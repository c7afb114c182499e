/// Why a LittleFS image was not built. Nothing is ever dropped silently: a file that does not fit or whose
/// name is too long stops the build, named, with the numbers.
public enum LittleFSBuildError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidGeometry(blockSize: Int, imageSize: Int, reason: String)
  /// A path component longer than the configuration's name_max.
  case nameTooLong(path: String, component: String, bytes: Int, limit: Int)
  /// The legacy ESP32 tool aborts on paths longer than 32 bytes (littlefs-format.md §5.3).
  case pathTooLong(path: String, bytes: Int, limit: Int)
  /// The image ran out of blocks while adding `path` (file `index` of `fileCount`).
  case doesNotFit(path: String, index: Int, fileCount: Int, blockCount: Int, blockSize: Int, contentBytes: Int)
  case duplicatePath(String)
  case invalidPath(String)
  /// A littlefs write path this builder does not reproduce byte for byte.
  case unsupported(path: String, what: String)

  public var description: String {
    switch self {
    case .invalidGeometry(let b, let s, let why): return "invalid LittleFS geometry (block \(b), size \(s)): \(why)"
    case .nameTooLong(let path, let c, let n, let limit):
      return "\(path): name \"\(c)\" is \(n) bytes, this configuration allows \(limit) (name_max)"
    case .pathTooLong(let path, let n, let limit): return "\(path): path is \(n) bytes, the legacy ESP32 mklittlefs allows \(limit)"
    case .doesNotFit(let path, let i, let count, let blocks, let size, let bytes):
      return "\(path) (file \(i + 1) of \(count)) does not fit: \(count) files, \(bytes) bytes into \(blocks) blocks of \(size) bytes"
    case .duplicatePath(let p): return "\(p): listed twice"
    case .invalidPath(let p): return "\(p): not a valid image path"
    case .unsupported(let path, let what): return "\(path): \(what)"
    }
  }
}
