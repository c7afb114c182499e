import Foundation

/// The Python that `scripts/test` prepares in `.interop-venv` with the pinned interop peers (esptool 5.6.0,
/// esp32-mock-bootloader 0.3.0) and exports as `ESPFLASH_INTEROP_PYTHON`. Every interop test starts here, so
/// they all skip for the same reason when it is missing.
public enum InteropPython {
  /// `ESPFLASH_INTEROP_PYTHON`, or "" when unset.
  public static let path = ProcessInfo.processInfo.environment["ESPFLASH_INTEROP_PYTHON"] ?? ""

  /// The folder of the `esptool` package in `python` (its `targets/stub_flasher` holds the stub JSON), or nil
  /// when `python` cannot import esptool and every module in `alsoImporting` (imported first).
  public static func esptoolDirectory(python: String, alsoImporting modules: [String] = []) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    let imports = (modules + ["esptool", "os"]).joined(separator: ", ")
    process.arguments = ["-c", "import \(imports); print(os.path.dirname(esptool.__file__))"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
