import Foundation

/// The device folders of provisioning (users-and-credentials.md §3.5 check 11, P14: one image per device
/// without recompiling).
public enum ProvisionDevices {
  /// One sub-folder of the devices folder.
  public struct Thing: Sendable, Equatable {
    public var name: String
    public var path: String
  }

  /// Output names are `<thing>.spiffs.bin`; a file name holds at most 255 bytes (NAME_MAX on Linux and macOS).
  public static let imageSuffix = ".spiffs.bin"
  public static let maximumNameBytes = 255 - imageSuffix.utf8.count

  /// The sub-folders sorted by name bytes. Names that could not safely become a file name refuse the run;
  /// plain files and the folders mkspiffs skips (.git …) are passed over with a note.
  public static func list(_ folder: String, events: WorkflowEvents) throws(ProvisionError) -> [Thing] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else { throw .noDevicesFolder(folder) }
    guard isDirectory.boolValue else { throw .devicesNotAFolder(folder) }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw .unreadableDevicesFolder(folder, reason: error.localizedDescription)
    }
    var things: [Thing] = []
    var unsafe: [String] = []
    for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
      let path = HostFiles.join(folder, name)
      if DataFolder.skippedNames.contains(name) { events(.note("skipping \(path): not a device folder")); continue }
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
        events(.note("skipping \(path): not a folder (each device is a folder of its files)"))
        continue
      }
      if let reason = unsafeReason(name) { unsafe.append("\(escaped(name)) (\(reason))"); continue }
      things.append(Thing(name: name, path: path))
    }
    guard unsafe.isEmpty else { throw .unsafeDeviceNames(Array(unsafe.prefix(10))) }
    guard !things.isEmpty else { throw .noDevices(folder) }
    return things
  }

  /// Why `name` cannot be used as `<name>.spiffs.bin`, or nil.
  public static func unsafeReason(_ name: String) -> String? {
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
}

/// Provisioning that cannot start, or devices whose images failed (then nothing was written).
public enum ProvisionError: Error, Sendable, CustomStringConvertible {
  case noDevicesFolder(String)
  case devicesNotAFolder(String)
  case unreadableDevicesFolder(String, reason: String)
  case unsafeDeviceNames([String])
  case noDevices(String)
  /// Each failed device with its error; nothing was written.
  case devicesFailed([(thing: String, error: any Error)], of: Int, devicesFolder: String)
  /// A folder changed between the checked build and the rebuild that wrote it.
  case changedWhileProvisioning(device: String, dataDir: String, image: String)

  public var description: String {
    switch self {
    case .noDevicesFolder(let folder): "no such devices folder: \(folder)"
    case .devicesNotAFolder(let folder): "\(folder) is not a folder"
    case .unreadableDevicesFolder(let folder, let reason): "cannot read devices folder \(folder): \(reason)"
    case .unsafeDeviceNames(let names): "device folder names that cannot name an image file: " + names.joined(separator: ", ")
    case .noDevices(let folder): "\(folder) holds no device folders"
    case .devicesFailed(let failures, let total, _):
      "\(failures.count) of \(total) device(s) failed (listed above); no image and no manifest were written"
    case .changedWhileProvisioning(let device, let dataDir, let image):
      "\(device) or \(dataDir) changed while provisioning; \(image) differs from the checked build"
    }
  }
}
