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

/// A file found in the data folder, with the name it gets in SPIFFS.
public struct FolderFile: Equatable, Sendable {
  /// `/www/css/style.css`: the path below the data folder with a leading `/`, raw UTF-8.
  public var spiffsName: [UInt8]
  /// Where it is on the host.
  public var hostPath: String
  public var size: Int

  public init(spiffsName: [UInt8], hostPath: String, size: Int) {
    self.spiffsName = spiffsName
    self.hostPath = hostPath
    self.size = size
  }

  public var displayName: String { String(decoding: spiffsName, as: UTF8.self) }
}

/// Walks a data folder the way mkspiffs does (§2.3), but in a defined order.
///
/// mkspiffs packs in `readdir` order, which differs per machine. Here every directory's entries are sorted by
/// their raw name bytes (`strcmp`) and walked depth-first, a directory's files going where its name sorts:
/// exactly the order the reference images were made with (testdata MANIFEST, `expected/*.order.txt`).
public enum DataFolder {
  /// Skipped by mkspiffs unless `-a` is given.
  public static let skippedNames: Set<String> = [".DS_Store", ".git", ".gitignore", ".gitmodules"]
  /// Deeper trees cannot produce names of 31 bytes anyway; this only stops runaway recursion.
  public static let maximumDepth = 64

  public struct Skipped: Equatable, Sendable {
    public var path: String
    public var reason: String
  }

  public struct Walk: Sendable {
    public var files: [FolderFile]
    /// Host paths skipped, with the reason, in walk order.
    public var skipped: [Skipped]
  }

  public static func walk(_ root: String, includeHidden: Bool) throws(FolderError) -> Walk {
    var info = stat()
    guard stat(root, &info) == 0 else { throw .noSuchFolder(path: root) }
    guard info.st_mode & S_IFMT == S_IFDIR else { throw .notAFolder(path: root) }
    var walk = Walk(files: [], skipped: [])
    var stack: [(dev: UInt64, ino: UInt64)] = [(UInt64(info.st_dev), UInt64(info.st_ino))]
    try visit(root, prefix: [UInt8(ascii: "/")], includeHidden: includeHidden, stack: &stack, into: &walk)
    return walk
  }

  private static func visit(_ folder: String, prefix: [UInt8], includeHidden: Bool,
                            stack: inout [(dev: UInt64, ino: UInt64)], into walk: inout Walk) throws(FolderError) {
    guard stack.count <= maximumDepth else { throw .tooDeep(path: folder, limit: maximumDepth) }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw .unreadableFolder(path: folder, reason: error.localizedDescription)
    }
    let sorted = names.map { ($0, Array($0.utf8)) }.sorted { $0.1.lexicographicallyPrecedes($1.1) }
    for (name, nameBytes) in sorted {
      let path = HostFiles.join(folder, name)
      if !includeHidden, skippedNames.contains(name) {
        walk.skipped.append(Skipped(path: path, reason: "skipped like mkspiffs; --include-hidden packs it"))
        continue
      }
      var info = stat()
      guard stat(path, &info) == 0 else {
        walk.skipped.append(Skipped(path: path, reason: "cannot stat (dangling symlink?)"))
        continue
      }
      switch info.st_mode & S_IFMT {
      case S_IFREG:
        walk.files.append(FolderFile(spiffsName: prefix + nameBytes, hostPath: path, size: Int(info.st_size)))
      case S_IFDIR:
        let id = (UInt64(info.st_dev), UInt64(info.st_ino))
        if stack.contains(where: { $0 == id }) { throw .symlinkLoop(path: path) }
        stack.append(id)
        try visit(path, prefix: prefix + nameBytes + [UInt8(ascii: "/")], includeHidden: includeHidden,
                  stack: &stack, into: &walk)
        stack.removeLast()
      default:
        walk.skipped.append(Skipped(path: path, reason: "not a regular file or folder"))
      }
    }
  }

  /// Reorders `files` to the SPIFFS paths listed in `orderText` (one per line, blank lines ignored).
  /// The two sets must be equal: a file missing from either side is an error naming it.
  public static func applyOrder(_ files: [FolderFile], orderText: String,
                                orderPath: String) throws(FolderError) -> [FolderFile] {
    var byName: [[UInt8]: FolderFile] = [:]
    for file in files { byName[file.spiffsName] = file }
    var ordered: [FolderFile] = []
    var seen = Set<[UInt8]>()
    var unknown: [String] = [], duplicates: [String] = []
    for line in orderText.split(whereSeparator: \.isNewline) {
      let entry = String(line)
      guard !entry.isEmpty else { continue }
      var bytes = Array(entry.utf8)
      if bytes.first != UInt8(ascii: "/") { bytes.insert(UInt8(ascii: "/"), at: 0) }
      guard seen.insert(bytes).inserted else { duplicates.append(entry); continue }
      guard let file = byName[bytes] else { unknown.append(entry); continue }
      ordered.append(file)
    }
    let missing = files.filter { !seen.contains($0.spiffsName) }.map(\.displayName)
    guard unknown.isEmpty, missing.isEmpty, duplicates.isEmpty else {
      throw .orderMismatch(orderFile: orderPath, missing: Array(missing.prefix(10)), unknown: Array(unknown.prefix(10)),
                           duplicates: Array(duplicates.prefix(10)))
    }
    return ordered
  }

  /// Reads an order file and applies it.
  public static func applyOrder(_ files: [FolderFile], orderFile: String) throws(FolderError) -> [FolderFile] {
    guard let text = try? String(contentsOfFile: orderFile, encoding: .utf8) else {
      throw .unreadableOrderFile(path: orderFile)
    }
    return try applyOrder(files, orderText: text, orderPath: orderFile)
  }
}
