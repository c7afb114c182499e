import Crypto
import Foundation

/// The device folders of `fs provision` and the manifest it writes (users-and-credentials.md §3.5 check 11,
/// P14: one image per device without recompiling).
enum ProvisionDevices {
  /// One sub-folder of the devices folder.
  struct Thing {
    var name: String
    var path: String
  }

  /// Output names are `<thing>.spiffs.bin`; a file name holds at most 255 bytes (NAME_MAX on Linux and macOS).
  static let imageSuffix = ".spiffs.bin"
  static let maximumNameBytes = 255 - imageSuffix.utf8.count

  /// The sub-folders sorted by name bytes. Names that could not safely become a file name refuse the run;
  /// plain files and the folders mkspiffs skips (.git …) are passed over with a note.
  static func list(_ folder: String, note: (String) -> Void) throws -> [Thing] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
      throw CLIError("no such devices folder: \(folder)", status: .noInput)
    }
    guard isDirectory.boolValue else { throw CLIError("\(folder) is not a folder", status: .noInput) }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw CLIError("cannot read devices folder \(folder): \(error.localizedDescription)", status: .noInput)
    }
    var things: [Thing] = []
    var unsafe: [String] = []
    for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
      let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
      if FolderIO.skippedNames.contains(name) { note("skipping \(path): not a device folder"); continue }
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
        note("skipping \(path): not a folder (each device is a folder of its files)")
        continue
      }
      if let reason = unsafeReason(name) { unsafe.append("\(escaped(name)) (\(reason))"); continue }
      things.append(Thing(name: name, path: path))
    }
    guard unsafe.isEmpty else {
      throw CLIError("device folder names that cannot name an image file: " + unsafe.prefix(10).joined(separator: ", "),
                     hint: "use letters, digits, '-', '_' and '.', e.g. the AWS IoT thing name; nothing was written",
                     status: .dataError)
    }
    guard !things.isEmpty else {
      throw CLIError("\(folder) holds no device folders",
                     hint: "make one folder per device holding its files, e.g. \(folder)/thing-1/cert.pem",
                     status: .noInput)
    }
    return things
  }

  /// Why `name` cannot be used as `<name>.spiffs.bin`, or nil.
  static func unsafeReason(_ name: String) -> String? {
    if name.isEmpty || name == "." || name == ".." { return "a path, not a name" }
    if name.hasPrefix(".") { return "hidden name" }
    if name.hasPrefix("-") { return "starts with '-'" }
    if name.contains("/") || name.contains("\\") { return "contains a path separator" }
    if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "control character" }
    if name.utf8.count > maximumNameBytes { return "longer than \(maximumNameBytes) bytes" }
    return nil
  }

  /// A name as it can be printed on one line.
  static func escaped(_ name: String) -> String {
    "\"" + name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }
      .joined() + "\""
  }

  static func sha256(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { byte in
      let digits = String(byte, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }.joined()
  }
}

/// `<OUT_DIR>/manifest.json`: what was built for which device, and how to flash it.
struct ProvisionManifest: Encodable {
  struct Device: Encodable {
    struct File: Encodable {
      /// The SPIFFS name as stored (after --der / --rename).
      var name: String
      var size: Int
      var sha256: String
      /// The device folder's file it came from, relative to that folder.
      var source: String
      /// True when it replaced a file of the data folder with the same path.
      var replaces: Bool
    }
    var thing: String
    /// File name inside the output folder.
    var image: String
    var sha256: String
    var fileCount: Int
    var dataBytes: Int
    var files: [File]
    /// nil for a custom layout without a flash address.
    var writeFlash: String?
  }
  var data: String
  var layout: String
  var platform: String
  var format: String
  var flashOffset: Int?
  var imageSize: Int
  var blockSize: Int
  var pageSize: Int
  var devices: [Device]
}
