import SPIFFS

/// Layout presets by name, for programs that use only this library (the CLI's `--layout NAME`).
public enum LayoutPresets {
  /// `4M1M`, `esp32-default`, … (see `espflash-swift fs layouts`); case is ignored.
  public static func named(_ name: String) throws(UnknownLayoutPreset) -> SPIFFSLayoutPreset {
    guard let preset = SPIFFSLayoutPresets.named(name) else { throw UnknownLayoutPreset(name: name) }
    return preset
  }

  /// Every built-in preset name.
  public static var names: [String] { SPIFFSLayoutPresets.all.map(\.name) }
}

/// No built-in preset has this name.
public struct UnknownLayoutPreset: Error, Equatable, Sendable, CustomStringConvertible {
  public var name: String
  public var description: String { "unknown layout '\(name)'" }
}
