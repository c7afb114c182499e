import Foundation

/// An Arduino sketch folder (arduino-integration.md §5): `<name>/<name>.ino`, or any folder with a
/// `sketch.yaml`. Its `data/` folder is what the IDE plugins pack; `partitions.csv` replaces the board's
/// partition scheme on ESP32 builds (§2.3); `sketch.yaml` names the board and port.
public struct SketchFolder: Sendable {
  public var path: String
  public var name: String
  /// `<sketch>/data`, whether or not it exists.
  public var dataDir: String { path + "/data" }
  /// `<sketch>/partitions.csv` when present.
  public var partitionsCSV: String?
  public var defaultFQBN: String?
  public var defaultPort: String?
  /// `default_port_config: baudrate: N` (arduino-cli ≥ 1.1).
  public var defaultBaud: Int?

  /// The sketch at `path`, or nil when `path` is a plain folder. A folder with any top-level `.ino` counts,
  /// so a sketch file is never packed even when the main file's name does not match the folder's.
  public static func at(_ path: String) -> SketchFolder? {
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
    let url = URL(fileURLWithPath: path).standardizedFileURL
    let entries = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
    let yamlName = entries.first { $0 == "sketch.yaml" || $0 == "sketch.yml" }
    let inos = entries.filter { $0.lowercased().hasSuffix(".ino") }
    guard yamlName != nil || !inos.isEmpty else { return nil }
    var sketch = SketchFolder(path: path.hasSuffix("/") ? String(path.dropLast()) : path, name: url.lastPathComponent)
    if entries.contains("partitions.csv") { sketch.partitionsCSV = sketch.path + "/partitions.csv" }
    if let yamlName, let text = try? String(contentsOfFile: url.appendingPathComponent(yamlName).path, encoding: .utf8) {
      let yaml = SketchYAML(text: text)
      sketch.defaultFQBN = yaml.value("default_fqbn")
      sketch.defaultPort = yaml.value("default_port")
      sketch.defaultBaud = yaml.value("default_port_config.baudrate").flatMap { Int($0) }
    }
    return sketch
  }

  public var hasDataFolder: Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: dataDir, isDirectory: &isDirectory) && isDirectory.boolValue
  }
}

/// The few `sketch.yaml` keys read here: top-level scalars and one level of nesting (`default_port_config:`
/// then an indented `baudrate: …`). Profiles are not read. Not a YAML parser; values may be quoted.
struct SketchYAML {
  var values: [String: String] = [:]

  init(text: String) {
    var parent: String?
    for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
      let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
      guard let colon = line.firstIndex(of: ":") else { continue }
      let indented = line.first == " " || line.first == "\t"
      let key = line[..<colon].trimmingCharacters(in: .whitespaces)
      var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q { value = String(value.dropFirst().dropLast()) }
      if !indented {
        parent = value.isEmpty ? key : nil
        if !value.isEmpty { values[key] = value }
      } else if let parent, !value.isEmpty {
        values[parent + "." + key] = value
      }
    }
  }

  func value(_ key: String) -> String? { values[key] }
}
