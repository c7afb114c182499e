import ArgumentParser
import Foundation
import SPIFFS

/// `fs extract IMAGE DIR`: every file below DIR, never outside it.
struct FSExtractCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "extract",
    abstract: "Extract every file of a SPIFFS image into a folder.",
    discussion: """
      Sub-folders are recreated from the names (/www/app.js → DIR/www/app.js). Names that would leave DIR (..), \
      or that are empty, are refused; control characters and invalid UTF-8 are replaced with _. Existing files \
      are not overwritten unless --force is given, and existing symlinks inside DIR are never followed.
      """)

  @OptionGroup var source: FSImageOptions

  @Argument(help: "The folder to extract into (created if missing).")
  var directory: String

  @Flag(help: "Overwrite files that already exist.")
  var force = false

  struct Target {
    var entry: SPIFFSEntry
    var components: [String]
    var path: String
  }

  func run() throws {
    let (image, _, _) = try source.open()
    try Self.extract(image, into: directory, force: force)
  }

  /// What an extraction wrote.
  struct Summary {
    var folder: String
    var files: Int
    var bytes: Int
  }

  /// Writes every file of `image` below `directory` (shared with `fs download --extract`). Notes go to stderr;
  /// throws when a file exists (without `force`) before writing anything, and after writing the rest when some
  /// names were refused or failed.
  @discardableResult
  static func extract(_ image: SPIFFSImage, into directory: String, force: Bool) throws -> Summary {
    let root = URL(fileURLWithPath: directory).standardizedFileURL.path
    var targets: [Target] = []
    var refused: [String] = []
    var claimedFiles = Set<String>(), claimedFolders = Set<String>()
    for entry in image.entries() {
      let shown = SPIFFSName.display(entry.nameBytes)
      switch ExtractPaths.plan(entry.nameBytes) {
      case .refused(let reason):
        refused.append("\(shown): \(reason)")
      case .safe(let components, let changes):
        let path = root + "/" + components.joined(separator: "/")
        let folders = (1..<components.count).map { root + "/" + components[..<$0].joined(separator: "/") }
        if claimedFiles.contains(path) || claimedFolders.contains(path) || folders.contains(where: claimedFiles.contains) {
          refused.append("\(shown): clashes with another file of the image at \(path)")
          continue
        }
        if !changes.isEmpty { FSOutput.note("note: \(shown) is written as \(path) (\(changes.joined(separator: "; ")))") }
        claimedFiles.insert(path)
        claimedFolders.formUnion(folders)
        targets.append(Target(entry: entry, components: components, path: path))
      }
    }
    if !force {
      let existing = targets.filter { Self.lstatKind($0.path) != nil }.map(\.path)
      guard existing.isEmpty else {
        throw CLIError("\(existing.count) file(s) already exist: " + existing.prefix(5).joined(separator: ", ")
                       + (existing.count > 5 ? ", …" : ""), hint: "pass --force to overwrite them", status: .ioError)
      }
    }
    // A folder that does not exist yet is filled as a hidden sibling and renamed into place once: no file in
    // it can be seen half-written, and no per-file temporary name and rename is needed. Into an existing
    // folder each file goes through its own temporary name and rename.
    let staging = Self.lstatKind(root) == nil ? try OutputFiles.makeStagingFolder(for: root) : nil
    var published = false
    defer { if let staging, !published { OutputFiles.removeTree(staging) } }
    let base = staging ?? root
    if staging == nil { try Self.makeFolder(root, below: nil) }
    var written = 0, bytes = 0
    var failed: [String] = []
    for target in targets {
      do {
        var folder = base
        for component in target.components.dropLast() {
          folder += "/" + component
          try Self.makeFolder(folder, below: base)
        }
        let path = base + "/" + target.components.joined(separator: "/")
        if staging == nil, Self.lstatKind(path) == S_IFDIR {
          throw CLIError("\(target.path) is a folder", status: .ioError)
        }
        let content = try image.contents(of: target.entry)
        if staging == nil {
          try OutputFiles.writeReplacing(content, to: path)
        } else {
          try OutputFiles.writeNew(content, to: path)
        }
        written += 1
        bytes += content.count
      } catch let error as any ReportableError {
        failed.append("\(SPIFFSName.display(target.entry.nameBytes)): \(error.message)")
      }
    }
    if let staging {
      try OutputFiles.publish(staging, as: root)
      published = true
    }
    for line in refused { FSOutput.note("refused \(line)") }
    for line in failed { FSOutput.note("failed \(line)") }
    FSOutput.note("extracted \(written) file(s), \(bytes) bytes, to \(root)")
    if !refused.isEmpty || !failed.isEmpty {
      throw CLIError("\(refused.count + failed.count) file(s) were not extracted", status: .dataError)
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
  static func makeFolder(_ path: String, below root: String?) throws {
    switch lstatKind(path) {
    case nil where root == nil:
      do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      } catch {
        throw CLIError("cannot create folder \(path): \(error.localizedDescription)", status: .ioError)
      }
    case nil:
      guard mkdir(path, 0o755) == 0 || lstatKind(path) == S_IFDIR else {
        throw CLIError("cannot create folder \(path): \(String(cString: strerror(errno)))", status: .ioError)
      }
    case S_IFDIR?:
      return
    case S_IFLNK? where root == nil:
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw CLIError("\(path) is not a folder", status: .ioError)
      }
    case S_IFLNK?:
      throw CLIError("\(path) is a symlink; not following it out of the extraction folder", status: .ioError)
    default:
      throw CLIError("\(path) exists and is not a folder", status: .ioError)
    }
  }
}
