import ESPLoader
import Foundation

extension StubImage {
  /// Parses esptool's JSON. `text`, `text_start` and `entry` are required; `data`/`data_start` optional.
  public init(json: [UInt8], source: String) throws(LoaderError) {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
      throw .badStub(path: source, reason: "not a JSON object")
    }
    func number(_ key: String) -> UInt32? {
      (object[key] as? NSNumber).flatMap { UInt32(exactly: $0.uint64Value) }
    }
    func blob(_ key: String) -> [UInt8]? {
      (object[key] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
    }
    guard let text = blob("text"), !text.isEmpty else { throw .badStub(path: source, reason: "no base64 'text'") }
    guard let textStart = number("text_start") else { throw .badStub(path: source, reason: "no 'text_start'") }
    guard let entry = number("entry") else { throw .badStub(path: source, reason: "no 'entry'") }
    let data = blob("data") ?? []
    guard data.isEmpty || number("data_start") != nil else {
      throw .badStub(path: source, reason: "'data' without 'data_start'")
    }
    self.init(text: text, textStart: textStart, data: data, dataStart: number("data_start") ?? 0, entry: entry,
              source: source)
  }

  /// Reads and parses a JSON file.
  public static func load(path: String) throws(LoaderError) -> StubImage {
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw .badStub(path: path, reason: "cannot read the file")
    }
    return try StubImage(json: [UInt8](contents), source: path)
  }
}

/// Finds the stub JSON of an installed esptool (§9.4): `ESPFLASH_STUB_DIR`, then the esptool that
/// `python3` imports, then the usual site-packages, ESP-IDF and PlatformIO places. Version "2"
/// (esp-flasher-stub, Apache-2.0/MIT) is preferred over "1" (legacy, GPL), like esptool ≥ 5.3.
public enum StubLocator {
  /// The directories searched, in order, for messages and for the search itself.
  public static func searchRoots(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 askPython: Bool = true) -> [String] {
    var roots: [String] = []
    if let dir = environment["ESPFLASH_STUB_DIR"], !dir.isEmpty { roots.append(dir) }
    if askPython {
      let python = environment["ESPFLASH_PYTHON"] ?? "python3"
      if let dir = esptoolDirectory(python: python) { roots.append(dir + "/targets/stub_flasher") }
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    var sitePackages: [String] = []
    for base in [home + "/.local/lib", "/usr/local/lib", "/usr/lib", "/opt/homebrew/lib"] {
      for entry in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where entry.hasPrefix("python3") {
        sitePackages += [base + "/" + entry + "/site-packages", base + "/" + entry + "/dist-packages"]
      }
    }
    sitePackages.append("/usr/lib/python3/dist-packages")
    let idfEnvs = home + "/.espressif/python_env"
    for env in (try? FileManager.default.contentsOfDirectory(atPath: idfEnvs)) ?? [] {
      for py in (try? FileManager.default.contentsOfDirectory(atPath: "\(idfEnvs)/\(env)/lib")) ?? [] {
        sitePackages.append("\(idfEnvs)/\(env)/lib/\(py)/site-packages")
      }
    }
    roots += sitePackages.map { $0 + "/esptool/targets/stub_flasher" }
    roots.append(home + "/.platformio/packages/tool-esptoolpy/esptool/targets/stub_flasher")
    return roots
  }

  /// The first `<root>/{2,1}/<chip>.json` (or `<root>/<chip>.json`) that exists.
  public static func find(chip: Chip, roots: [String]) -> String? {
    for root in roots {
      for candidate in ["\(root)/2/\(chip.rawValue).json", "\(root)/1/\(chip.rawValue).json", "\(root)/\(chip.rawValue).json"]
      where FileManager.default.isReadableFile(atPath: candidate) {
        return candidate
      }
    }
    return nil
  }

  /// Asks `python -c "import esptool"` where esptool lives; bounded to 5 s.
  static func esptoolDirectory(python: String) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, "-c", "import esptool,os;print(os.path.dirname(esptool.__file__))"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let deadline = Monotonic.now() + 5
    while process.isRunning, Monotonic.now() < deadline { Monotonic.sleep(0.01) }
    if process.isRunning { process.terminate(); process.waitUntilExit(); return nil }
    guard process.terminationStatus == 0 else { return nil }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return output.isEmpty ? nil : output
  }
}
