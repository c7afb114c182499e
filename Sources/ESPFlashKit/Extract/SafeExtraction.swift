import Foundation
#if canImport(CoreFoundation)
// swift-certificates (loaded through Credentials) imports CoreFoundation, which then owns Glibc's `stat`
// for member lookup; importing it here keeps `stat()`/`st_mode` visible (MemberImportVisibility).
import CoreFoundation
#endif
import SPIFFS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes every file of a SPIFFS image below a folder, never outside it (`ExtractPaths` plans the names).
public enum SafeExtraction {
  /// What an extraction wrote.
  public struct Summary: Codable, Sendable, Equatable {
    public var folder: String
    public var files: Int
    public var bytes: Int
  }

  struct Target {
    var name: [UInt8]
    var read: () throws -> [UInt8]
    var components: [String]
    var path: String
  }

  /// Throws when a file exists (without `force`) before writing anything, and after writing the rest when some
  /// names were refused or failed (each is also a note).
  @discardableResult
  public static func extract(_ image: SPIFFSImage, into directory: String, force: Bool,
                             events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> Summary {
    try extract(image.entries().map { entry in Source(name: entry.nameBytes) { try image.contents(of: entry) } },
                into: directory, force: force, events: events)
  }

  /// One file to write: its stored name and how to read its bytes (SPIFFS or LittleFS).
  struct Source {
    var name: [UInt8]
    var read: () throws -> [UInt8]
  }

  static func extract(_ sources: [Source], into directory: String, force: Bool,
                      events: WorkflowEvents) throws -> Summary {
    let root = URL(fileURLWithPath: directory).standardizedFileURL.path
    var targets: [Target] = []
    var refused: [String] = []
    var claimedFiles = Set<String>(), claimedFolders = Set<String>()
    for entry in sources {
      let shown = SPIFFSName.display(entry.name)
      switch ExtractPaths.plan(entry.name) {
      case .refused(let reason):
        refused.append("\(shown): \(reason)")
      case .safe(let components, let changes):
        let path = root + "/" + components.joined(separator: "/")
        let folders = (1..<components.count).map { root + "/" + components[..<$0].joined(separator: "/") }
        if claimedFiles.contains(path) || claimedFolders.contains(path) || folders.contains(where: claimedFiles.contains) {
          refused.append("\(shown): clashes with another file of the image at \(path)")
          continue
        }
        if !changes.isEmpty { events(.note("note: \(shown) is written as \(path) (\(changes.joined(separator: "; ")))")) }
        claimedFiles.insert(path)
        claimedFolders.formUnion(folders)
        targets.append(Target(name: entry.name, read: entry.read, components: components, path: path))
      }
    }
    if !force {
      let existing = targets.filter { lstatKind($0.path) != nil }.map(\.path)
      guard existing.isEmpty else { throw ExtractionError.filesExist(existing) }
    }
    // A folder that does not exist yet is filled as a hidden sibling and renamed into place once: none of its
    // files can be seen half-written, without a temporary name and rename (or an fsync) per file. Into an
    // existing folder each file goes through its own temporary name and rename.
    let staging = lstatKind(root) == nil ? try OutputFiles.makeStagingFolder(for: root) : nil
    var published = false
    defer { if let staging, !published { OutputFiles.removeTree(staging) } }
    let base = staging ?? root
    if staging == nil { try makeFolder(root, below: nil) }
    var written = 0, bytes = 0
    var failed: [String] = []
    for target in targets {
      do {
        var folder = base
        for component in target.components.dropLast() {
          folder += "/" + component
          try makeFolder(folder, below: base)
        }
        let content = try target.read()
        if let staging {
          try OutputFiles.writeNew(content, to: staging + target.path.dropFirst(root.count))
        } else {
          if lstatKind(target.path) == S_IFDIR { throw FileAccessError.isAFolder(path: target.path) }
          try OutputFiles.writeReplacing(content, to: target.path)
        }
        written += 1
        bytes += content.count
      } catch let error as FileAccessError {
        // Name the final path, not the staging folder's.
        let shown = staging.map { error.description.replacingOccurrences(of: $0, with: root) } ?? error.description
        failed.append("\(SPIFFSName.display(target.name)): \(shown)")
      } catch {
        failed.append("\(SPIFFSName.display(target.name)): \(error)")
      }
    }
    if let staging {
      try OutputFiles.publish(staging, as: root)
      published = true
    }
    for line in refused { events(.note("refused \(line)")) }
    for line in failed { events(.note("failed \(line)")) }
    events(.note("extracted \(written) file(s), \(bytes) bytes, to \(root)"))
    if !refused.isEmpty || !failed.isEmpty {
      throw ExtractionError.incomplete(refused: refused, failed: failed)
    }
    return Summary(folder: root, files: written, bytes: bytes)
  }

  /// The file type at `path` without following a final symlink, or nil when nothing is there.
  static func lstatKind(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & S_IFMT
  }

  /// Creates `path` as a real folder; refuses when something other than a folder (e.g. a symlink that could
  /// lead outside) is already there. `below` is nil only for the extraction root, which may be a symlink.
  static func makeFolder(_ path: String, below root: String?) throws(FileAccessError) {
    switch lstatKind(path) {
    case nil where root == nil:
      try HostFiles.createFolder(path)
    case nil:
      guard mkdir(path, 0o755) == 0 || lstatKind(path) == S_IFDIR else {
        throw .cannotCreateFolder(path: path, reason: String(cString: strerror(errno)))
      }
    case S_IFDIR?:
      return
    case S_IFLNK? where root == nil:
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw .notAFolder(path: path, symlink: false)
      }
    case S_IFLNK?:
      throw .notAFolder(path: path, symlink: true)
    default:
      throw .notAFolder(path: path, symlink: false)
    }
  }
}

/// An extraction that did not write every file.
public enum ExtractionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Files that would be overwritten (nothing was written).
  case filesExist([String])
  /// Names refused as unsafe and files that failed; the others were written.
  case incomplete(refused: [String], failed: [String])

  public var description: String {
    switch self {
    case .filesExist(let paths):
      "\(paths.count) file(s) already exist: " + paths.prefix(5).joined(separator: ", ") + (paths.count > 5 ? ", …" : "")
    case .incomplete(let refused, let failed): "\(refused.count + failed.count) file(s) were not extracted"
    }
  }
}
