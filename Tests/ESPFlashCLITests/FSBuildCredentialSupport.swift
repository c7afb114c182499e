import Foundation
import SPIFFS
import TestSupport

/// Fixtures and helpers for the `fs build` credential tests: copies of testdata/credentials sets in temp
/// folders, a snapshot of a folder to prove it was not touched, and reading files back out of an image.
enum CredentialFixtures {
  static let root = Repository.testdata("credentials")

  static func set(_ name: String) -> URL { root.appendingPathComponent(name) }

  static func bytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
  }

  /// A fresh temp folder with `data/` holding copies of the named files ("set/file" → "data/file").
  static func dataFolder(_ files: [String], renamedTo names: [String]? = nil) throws -> (folder: URL, data: URL) {
    let folder = try FSTestSupport.temporaryFolder()
    let data = folder.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    for (index, file) in files.enumerated() {
      let target = names?[index] ?? (file as NSString).lastPathComponent
      try FileManager.default.copyItem(at: root.appendingPathComponent(file), to: data.appendingPathComponent(target))
    }
    return (folder, data)
  }

  /// Every file below `folder` (relative path → bytes and modification date), and the folder's own listing.
  struct Snapshot: Equatable {
    var files: [String: Data]
    var dates: [String: Date]
  }

  static func snapshot(_ folder: URL) throws -> Snapshot {
    var snapshot = Snapshot(files: [:], dates: [:])
    let names = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
    for name in names {
      let path = folder.appendingPathComponent(name).path
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      snapshot.dates[name] = attributes[.modificationDate] as? Date
      if attributes[.type] as? FileAttributeType == .typeRegular {
        snapshot.files[name] = try Data(contentsOf: URL(fileURLWithPath: path))
      }
    }
    return snapshot
  }

  /// The files of a built image, by SPIFFS name.
  static func imageFiles(_ path: String, layout: String) throws -> [String: [UInt8]] {
    guard let preset = SPIFFSLayoutPresets.named(layout) else { throw CocoaError(.fileReadUnknown) }
    let image = try SPIFFSImage(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), layout: preset.layout)
    var files: [String: [UInt8]] = [:]
    for entry in image.entries() { files[entry.name] = try image.contents(of: entry) }
    return files
  }

  /// The base64 body lines of a PEM file (what would betray a private key if printed).
  static func pemBodyLines(_ relative: String) throws -> [String] {
    let text = String(decoding: try bytes(relative), as: UTF8.self)
    return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      .filter { !$0.isEmpty && !$0.hasPrefix("-----") && !$0.contains(":") }
  }

  /// The DER of a single-certificate PEM by plain base64 decoding (independent of the code under test).
  static func pemToDER(_ relative: String) throws -> [UInt8] {
    let body = try pemBodyLines(relative).joined()
    guard let data = Data(base64Encoded: body) else { throw CocoaError(.fileReadCorruptFile) }
    return [UInt8](data)
  }

  /// Files left in `folder` other than `data` and the expected outputs (temp files of a failed write).
  static func leftovers(_ folder: URL, except keep: Set<String>) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !keep.contains($0) && $0 != "data" }
  }
}
