import Foundation

/// The files one board gets, named as they will be on its file system, plus sketches for the API lint: what
/// the credential check reads from folders and files on the host.
public struct CredentialInputs: Sendable {
  public struct File: Sendable {
    /// The name on the board's file system, relative to the data folder.
    public let name: String
    /// Where it is on the host.
    public let displayPath: String
    public let bytes: [UInt8]
  }

  public var files: [File] = []
  public var sketches: [(path: String, text: String)] = []

  public static let sketchExtensions = ["ino", "cpp", "c", "h", "hpp"]
  /// Bounded walk: a data folder has tens of files; refuse to read thousands.
  public static let maxFiles = 2000

  /// Folders are walked (hidden files skipped), files taken as named.
  public static func collect(_ paths: [String]) throws -> CredentialInputs {
    var inputs = CredentialInputs()
    let fm = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw FileAccessError.noSuchFile(path: path) }
      if isDirectory.boolValue {
        let root = URL(fileURLWithPath: path).standardizedFileURL
        guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                         options: [.skipsHiddenFiles]) else { continue }
        var found: [URL] = []
        for case let url as URL in walker {
          guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
          found.append(url)
          if found.count > maxFiles { throw TooManyCredentialInputs(path: path, limit: maxFiles) }
        }
        for url in found.sorted(by: { $0.path < $1.path }) {
          let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count)).drop { $0 == "/" }
          try inputs.add(name: String(relative), path: url.path)
        }
      } else {
        try inputs.add(name: URL(fileURLWithPath: path).lastPathComponent, path: path)
      }
    }
    return inputs
  }

  private mutating func add(name: String, path: String) throws {
    let bytes = try HostFiles.read(path)
    if Self.sketchExtensions.contains(URL(fileURLWithPath: name).pathExtension.lowercased()) {
      sketches.append((path, String(decoding: bytes, as: UTF8.self)))
    } else {
      files.append(File(name: name, displayPath: path, bytes: bytes))
    }
  }
}

/// A folder with more files than a board's data folder plausibly has.
public struct TooManyCredentialInputs: Error, Equatable, Sendable, CustomStringConvertible {
  public var path: String
  public var limit: Int
  public var description: String { "\(path): more than \(limit) files; is this the data folder?" }
}
