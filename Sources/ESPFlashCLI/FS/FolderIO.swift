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
struct FolderFile: Equatable {
  /// `/www/css/style.css`: the path below the data folder with a leading `/`, raw UTF-8.
  var spiffsName: [UInt8]
  /// Where it is on the host.
  var hostPath: String
  var size: Int

  var displayName: String { String(decoding: spiffsName, as: UTF8.self) }
}

/// Walks a data folder the way mkspiffs does (§2.3), but in a defined order.
///
/// mkspiffs packs in `readdir` order, which differs per machine. Here every directory's entries are sorted by
/// their raw name bytes (`strcmp`) and walked depth-first, a directory's files going where its name sorts:
/// exactly the order the reference images were made with (testdata MANIFEST, `expected/*.order.txt`).
enum FolderIO {
  /// Skipped by mkspiffs unless `-a` is given.
  static let skippedNames: Set<String> = [".DS_Store", ".git", ".gitignore", ".gitmodules"]
  /// Deeper trees cannot produce names of 31 bytes anyway; this only stops runaway recursion.
  static let maximumDepth = 64

  struct Walk {
    var files: [FolderFile]
    /// Host paths skipped, with the reason, in walk order.
    var skipped: [(path: String, reason: String)]
  }

  static func walk(_ root: String, includeHidden: Bool) throws -> Walk {
    var info = stat()
    guard stat(root, &info) == 0 else { throw CLIError("no such folder: \(root)", status: .noInput) }
    guard info.st_mode & S_IFMT == S_IFDIR else { throw CLIError("\(root) is not a folder", status: .noInput) }
    var walk = Walk(files: [], skipped: [])
    var stack: [(dev: UInt64, ino: UInt64)] = [(UInt64(info.st_dev), UInt64(info.st_ino))]
    try visit(root, prefix: [UInt8(ascii: "/")], includeHidden: includeHidden, stack: &stack, into: &walk)
    return walk
  }

  private static func visit(_ folder: String, prefix: [UInt8], includeHidden: Bool,
                            stack: inout [(dev: UInt64, ino: UInt64)], into walk: inout Walk) throws {
    guard stack.count <= maximumDepth else {
      throw CLIError("\(folder) is nested more than \(maximumDepth) folders deep", status: .dataError)
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw CLIError("cannot read folder \(folder): \(error.localizedDescription)", status: .noInput)
    }
    let sorted = names.map { ($0, Array($0.utf8)) }.sorted { $0.1.lexicographicallyPrecedes($1.1) }
    for (name, nameBytes) in sorted {
      let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
      if !includeHidden, skippedNames.contains(name) {
        walk.skipped.append((path, "skipped like mkspiffs; --include-hidden packs it"))
        continue
      }
      var info = stat()
      guard stat(path, &info) == 0 else {
        walk.skipped.append((path, "cannot stat (dangling symlink?)"))
        continue
      }
      switch info.st_mode & S_IFMT {
      case S_IFREG:
        walk.files.append(FolderFile(spiffsName: prefix + nameBytes, hostPath: path, size: Int(info.st_size)))
      case S_IFDIR:
        let id = (UInt64(info.st_dev), UInt64(info.st_ino))
        if stack.contains(where: { $0 == id }) {
          throw CLIError("symlink loop: \(path) leads back to a folder being walked", status: .dataError)
        }
        stack.append(id)
        try visit(path, prefix: prefix + nameBytes + [UInt8(ascii: "/")], includeHidden: includeHidden,
                  stack: &stack, into: &walk)
        stack.removeLast()
      default:
        walk.skipped.append((path, "not a regular file or folder"))
      }
    }
  }

  /// Reorders `files` to the SPIFFS paths listed in `orderText` (one per line, blank lines ignored).
  /// The two sets must be equal: a file missing from either side is an error naming it.
  static func applyOrder(_ files: [FolderFile], orderText: String, orderPath: String) throws -> [FolderFile] {
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
      var parts: [String] = []
      if !missing.isEmpty { parts.append("not in the order file: " + missing.prefix(10).joined(separator: ", ")) }
      if !unknown.isEmpty { parts.append("not in the folder: " + unknown.prefix(10).joined(separator: ", ")) }
      if !duplicates.isEmpty { parts.append("listed twice: " + duplicates.prefix(10).joined(separator: ", ")) }
      throw CLIError("\(orderPath) does not list exactly the files of the data folder; " + parts.joined(separator: "; "),
                     hint: "one SPIFFS path per line, e.g. /www/index.html", status: .dataError)
    }
    return ordered
  }
}
