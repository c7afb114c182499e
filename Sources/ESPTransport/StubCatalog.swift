import ESPLoader
import Foundation

/// One flasher stub found on this machine: which chip, from which esptool, where, in which form, under which
/// licence. Read from the user's installation (arduino-integration.md §4), never shipped here.
public struct StubInstallation: Sendable, Equatable {
  public enum Format: String, Sendable {
    /// esptool ≥ 4.2: `stub_flasher/{1,2}/<chip>.json` or `stub_flasher_<chip>.json`.
    case json
    /// esptool ≤ 4.1: zlib + base64 of a dict literal inside Python source (`esptool.py`).
    case pythonEmbedded = "python-embedded"
  }

  public var chip: Chip
  /// esptool's `__version__` (or the Arduino tools folder's version), when it can be read.
  public var esptoolVersion: String?
  public var path: String
  public var format: Format
  /// `1` (legacy flasher stub) or `2` (esp-flasher-stub) for esptool ≥ 4.8 trees, nil otherwise.
  public var stubGeneration: String?
  /// Where it was found: `ESPFLASH_STUB_DIR`, `pip`, `PlatformIO tool-esptoolpy`, `Arduino esp8266 core 3.1.2`, …
  public var origin: String

  public init(chip: Chip, esptoolVersion: String?, path: String, format: Format, stubGeneration: String?, origin: String) {
    self.chip = chip
    self.esptoolVersion = esptoolVersion
    self.path = path
    self.format = format
    self.stubGeneration = stubGeneration
    self.origin = origin
  }

  /// From each stub directory's README (§4 "Licences"): the legacy stub (`1/`, the flat 4.2–4.7 files and
  /// every embedded one) is GPL-2.0-or-later, esp-flasher-stub (`2/`) Apache-2.0 OR MIT.
  public var licence: String { stubGeneration == "2" ? "Apache-2.0 OR MIT" : "GPL-2.0-or-later" }

  public func load() throws(LoaderError) -> StubImage {
    switch format {
    case .json: return try StubImage.load(path: path)
    case .pythonEmbedded:
      guard let data = FileManager.default.contents(atPath: path) else {
        throw .badStub(path: path, reason: "cannot read the file")
      }
      return try PythonStubLiteral.stub(chip: chip, source: String(decoding: data, as: UTF8.self), path: path)
    }
  }
}

/// Finds every stub in the places users have them, in the order `--stub auto` prefers them.
public enum StubCatalog {
  /// `ESPFLASH_STUB_DIR`, the esptool `python3` imports, pip site-packages (and ESP-IDF's environments),
  /// PlatformIO's tool-esptoolpy, then the Arduino cores in every Arduino15 data folder.
  public static func discover(environment: [String: String] = ProcessInfo.processInfo.environment,
                              askPython: Bool = true) -> [StubInstallation] {
    var found: [StubInstallation] = []
    var seenRoots = Set<String>()
    func tree(_ root: String, origin: String, version: String?) {
      let key = URL(fileURLWithPath: root).standardizedFileURL.path
      guard seenRoots.insert(key).inserted else { return }
      found += jsonStubs(root: root, origin: origin, version: version ?? esptoolVersion(stubRoot: root))
    }
    if let dir = environment["ESPFLASH_STUB_DIR"], !dir.isEmpty { tree(dir, origin: "ESPFLASH_STUB_DIR", version: nil) }
    if askPython, let dir = StubLocator.esptoolDirectory(python: environment["ESPFLASH_PYTHON"] ?? "python3") {
      tree(dir + "/targets/stub_flasher", origin: "pip (python3)", version: nil)
    }
    for root in StubLocator.searchRoots(environment: environment, askPython: false)
    where !root.contains("/.platformio/") && root != environment["ESPFLASH_STUB_DIR"] {
      tree(root, origin: "pip", version: nil)
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    let pio = (environment["PLATFORMIO_CORE_DIR"] ?? home + "/.platformio") + "/packages/tool-esptoolpy"
    tree(pio + "/esptool/targets/stub_flasher", origin: "PlatformIO tool-esptoolpy", version: nil)
    found += embeddedStubs(file: pio + "/esptool.py", origin: "PlatformIO tool-esptoolpy", version: nil)
    for data in arduinoDataDirectories(environment: environment) { found += arduinoStubs(data: data, tree: tree) }
    return found
  }

  /// The stub `--stub auto` loads for `chip`: the first installation found, esp-flasher-stub (`2`) before the
  /// legacy one within a tree, like esptool ≥ 5.3.
  public static func best(for chip: Chip, in installations: [StubInstallation]) -> StubInstallation? {
    installations.first { $0.chip == chip }
  }

  /// Arduino15 (§4): `ARDUINO_DIRECTORIES_DATA`, then the Linux, macOS and Windows defaults.
  public static func arduinoDataDirectories(environment: [String: String]) -> [String] {
    let home = environment["HOME"] ?? NSHomeDirectory()
    var dirs: [String] = []
    if let custom = environment["ARDUINO_DIRECTORIES_DATA"], !custom.isEmpty { dirs.append(custom) }
    dirs += [home + "/.arduino15", home + "/Library/Arduino15"]
    if let local = environment["LOCALAPPDATA"], !local.isEmpty { dirs.append(local + "/Arduino15") }
    return dirs.filter { FileManager.default.fileExists(atPath: $0) }
  }

  /// ESP8266 core: `packages/esp8266/hardware/esp8266/<ver>/tools/esptool/esptool.py` (embedded, esptool 2.6–3.0).
  /// ESP32 core: `packages/esp32/tools/esptool_py/<ver>/` holding `esptool.py` (3.x), or a 4.x source tree.
  /// The PyInstaller one-file binaries of newer ESP32 cores keep their stubs inside the executable; they are
  /// not read.
  private static func arduinoStubs(data: String, tree: (String, String, String?) -> Void) -> [StubInstallation] {
    var found: [StubInstallation] = []
    let cores = data + "/packages/esp8266/hardware/esp8266"
    for version in sortedVersions(in: cores) {
      let dir = "\(cores)/\(version)/tools/esptool"
      found += embeddedStubs(file: dir + "/esptool.py", origin: "Arduino esp8266 core \(version)", version: nil)
      tree(dir + "/esptool/targets/stub_flasher", "Arduino esp8266 core \(version)", nil)
    }
    let tools = data + "/packages/esp32/tools/esptool_py"
    for version in sortedVersions(in: tools) {
      let dir = "\(tools)/\(version)"
      found += embeddedStubs(file: dir + "/esptool.py", origin: "Arduino esp32 core, esptool_py \(version)", version: version)
      tree(dir + "/esptool/targets/stub_flasher", "Arduino esp32 core, esptool_py \(version)", version)
    }
    return found
  }

  /// Newest first, so a newer core's stub wins.
  static func sortedVersions(in dir: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
  }

  /// `<root>/2/<chip>.json`, `<root>/1/<chip>.json`, `<root>/<chip>.json` and `<root>/stub_flasher_<n>.json`.
  static func jsonStubs(root: String, origin: String, version: String?) -> [StubInstallation] {
    let fm = FileManager.default
    var found: [StubInstallation] = []
    for chip in Chip.allCases {
      let flatSuffix = chip == .esp8266 ? "8266" : String(chip.rawValue.dropFirst(3))
      let candidates: [(String, String?)] = [
        ("\(root)/2/\(chip.rawValue).json", "2"), ("\(root)/1/\(chip.rawValue).json", "1"),
        ("\(root)/\(chip.rawValue).json", nil), ("\(root)/stub_flasher_\(flatSuffix).json", nil),
      ]
      for (path, generation) in candidates where fm.isReadableFile(atPath: path) {
        found.append(StubInstallation(chip: chip, esptoolVersion: version, path: path, format: .json,
                                      stubGeneration: generation, origin: origin))
      }
    }
    return found
  }

  static func embeddedStubs(file: String, origin: String, version: String?) -> [StubInstallation] {
    guard let data = FileManager.default.contents(atPath: file) else { return [] }
    let source = String(decoding: data, as: UTF8.self)
    let version = version ?? pythonVersion(in: source)
    return PythonStubLiteral.chips(inSource: source).keys.sorted { $0.rawValue < $1.rawValue }.map {
      StubInstallation(chip: $0, esptoolVersion: version, path: file, format: .pythonEmbedded, stubGeneration: nil,
                       origin: origin)
    }
  }

  /// `__version__` of the esptool package that holds `<pkg>/targets/stub_flasher`.
  static func esptoolVersion(stubRoot: String) -> String? {
    let package = URL(fileURLWithPath: stubRoot).deletingLastPathComponent().deletingLastPathComponent()
    guard let data = FileManager.default.contents(atPath: package.appendingPathComponent("__init__.py").path) else {
      return nil
    }
    return pythonVersion(in: String(decoding: data, as: UTF8.self))
  }

  /// `__version__ = "3.0"` (either quote).
  static func pythonVersion(in source: String) -> String? {
    for line in source.split(separator: "\n") where line.hasPrefix("__version__") {
      let quoted = line.split(whereSeparator: { $0 == "\"" || $0 == "'" })
      if quoted.count >= 2 { return String(quoted[1]) }
    }
    return nil
  }
}
