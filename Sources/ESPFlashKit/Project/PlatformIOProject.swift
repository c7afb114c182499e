import Foundation
import SPIFFS

/// The `platformio.ini` keys the file system upload reads (arduino-integration.md §6): one `[env:NAME]`
/// section (with `[env]` defaults and `extends` not followed), and `[platformio]` `data_dir`/`default_envs`.
public struct PlatformIOProject: Sendable {
  public var folder: String
  public var environment: String
  public var values: [String: String]
  public var dataDir: String

  public var board: String? { values["board"] }
  public var fileSystem: String { values["board_build.filesystem"] ?? "spiffs" }
  public var ldscript: String? { values["board_build.ldscript"] }
  public var partitions: String? { values["board_build.partitions"] }
  public var uploadPort: String? { values["upload_port"] }
  public var uploadSpeed: Int? { values["upload_speed"].flatMap { Int($0) } }
  public var isESP32: Bool { (values["platform"] ?? "").contains("espressif32") }

  /// PlatformIO espressif8266 4.2.1's default ld scripts per board (§6): **4m1m** where the Arduino IDE uses
  /// 4M2M, so the two tools put the file system in different places on the same board.
  static let esp8266DefaultLD: [String: String] = [
    "nodemcuv2": "eagle.flash.4m1m.ld", "nodemcu": "eagle.flash.4m1m.ld", "d1_mini": "eagle.flash.4m1m.ld",
    "d1": "eagle.flash.4m1m.ld", "huzzah": "eagle.flash.4m1m.ld", "esp12e": "eagle.flash.4m1m.ld",
    "heltec_wifi_kit_8": "eagle.flash.4m1m.ld", "d1_mini_pro": "eagle.flash.16m14m.ld",
    "d1_mini_lite": "eagle.flash.1m64.ld", "esp01_1m": "eagle.flash.1m256.ld", "esp8285": "eagle.flash.1m256.ld",
    "esp01": "eagle.flash.512k64.ld", "thing": "eagle.flash.512k64.ld",
  ]

  /// Reads `folder/platformio.ini`; nil when there is none. `env` picks the environment (else the first of
  /// `default_envs`, else the first `[env:…]`).
  public static func load(folder: String, env: String?) throws -> PlatformIOProject? {
    let path = folder + "/platformio.ini"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      if let env { throw ProjectError("--pio-env \(env): no platformio.ini in \(folder)", kind: .missingInput) }
      return nil
    }
    var sections: [String: [String: String]] = [:]
    var order: [String] = []
    var current = ""
    var lastKey: String?
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = raw.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      if trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
        current = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        if sections[current] == nil { order.append(current) }
        sections[current, default: [:]] = sections[current] ?? [:]
        lastKey = nil
        continue
      }
      if let equals = trimmed.firstIndex(of: "=") {
        let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
        sections[current, default: [:]][key] = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        lastKey = key
      } else if let lastKey, line.first == " " || line.first == "\t" {
        // A continuation line (multi-line values such as build_flags); the first value is the one used here.
        if sections[current]?[lastKey]?.isEmpty == true { sections[current]?[lastKey] = trimmed }
      }
    }
    let envs = order.filter { $0.hasPrefix("env:") }.map { String($0.dropFirst(4)) }
    let defaults = sections["platformio"]?["default_envs"]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    guard let chosen = env ?? defaults?.first ?? envs.first else {
      throw ProjectError("\(path) has no [env:NAME] section", kind: .badData)
    }
    guard envs.contains(chosen) else {
      throw ProjectError("\(path) has no [env:\(chosen)]", hint: "environments: " + envs.joined(separator: ", "),
                     kind: .usage)
    }
    let values = (sections["env"] ?? [:]).merging(sections["env:" + chosen] ?? [:]) { $1 }
    let dataDir = sections["platformio"]?["data_dir"].map { $0.hasPrefix("/") ? $0 : folder + "/" + $0 } ?? folder + "/data"
    return PlatformIOProject(folder: folder, environment: chosen, values: values, dataDir: dataDir)
  }

  /// The layout this environment builds with: `board_build.ldscript` or the board's default (ESP8266),
  /// `board_build.partitions` as a built-in CSV name or a project file (ESP32, default.csv).
  public func preset() throws -> SPIFFSLayoutPreset {
    guard SPIFFSLayoutPresets.lowercase(fileSystem) == "spiffs" else {
      throw ProjectError("[env:\(environment)] board_build.filesystem = \(fileSystem); this tool builds SPIFFS",
                     hint: "set board_build.filesystem = spiffs, or use PlatformIO's uploadfs for \(fileSystem)",
                     kind: .usage)
    }
    if isESP32 || partitions != nil {
      let name = partitions ?? "default.csv"
      let file = name.hasPrefix("/") ? name : folder + "/" + name
      if FileManager.default.fileExists(atPath: file), let text = try? String(contentsOfFile: file, encoding: .utf8) {
        return try PartitionTable(csv: text).spiffsPreset(name: name)
      }
      if let preset = SPIFFSLayoutPresets.named(name) { return preset }
      throw ProjectError("[env:\(environment)] board_build.partitions = \(name): neither a built-in scheme nor a file in \(folder)",
                     hint: suggestions(name), kind: .usage)
    }
    guard let ld = ldscript ?? board.flatMap({ Self.esp8266DefaultLD[$0] }) else {
      throw ProjectError("[env:\(environment)] has no board_build.ldscript and board \(board ?? "?") has no default known here",
                     hint: "add board_build.ldscript = eagle.flash.4m1m.ld (or the one your board uses)", kind: .usage)
    }
    guard let preset = SPIFFSLayoutPresets.named(ld) else {
      throw ProjectError("[env:\(environment)] board_build.ldscript = \(ld) is not a known ESP8266 layout",
                     hint: suggestions(ld), kind: .usage)
    }
    return preset
  }

  private func suggestions(_ name: String) -> String {
    let close = LayoutNames.closest(to: name)
    return (close.isEmpty ? "" : "did you mean \(close.joined(separator: ", "))? ") + "`espflash-swift fs layouts` lists them"
  }
}
