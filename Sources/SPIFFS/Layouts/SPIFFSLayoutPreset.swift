/// A named flash layout: where the SPIFFS partition lives and its geometry, as a board package defines it.
public struct SPIFFSLayoutPreset: Hashable, Sendable, CustomStringConvertible {
  /// The name users type, e.g. `4M1M`, `4M1M@2.5`, `esp32-default`. Lookup ignores case.
  public var name: String
  /// Other accepted names (older menu names, CSV file names).
  public var aliases: [String]
  public var platform: SPIFFSLayout.Platform
  /// The whole flash chip, when the layout is tied to one.
  public var flashSize: Int?
  /// Where the image is flashed (`write-flash` address).
  public var flashOffset: Int
  public var imageSize: Int
  public var blockSize: Int
  public var pageSize: Int
  /// Where the numbers come from and which versions use them.
  public var notes: String

  public init(name: String, aliases: [String] = [], platform: SPIFFSLayout.Platform, flashSize: Int?,
              flashOffset: Int, imageSize: Int, blockSize: Int, pageSize: Int = 256, notes: String) {
    self.name = name
    self.aliases = aliases
    self.platform = platform
    self.flashSize = flashSize
    self.flashOffset = flashOffset
    self.imageSize = imageSize
    self.blockSize = blockSize
    self.pageSize = pageSize
    self.notes = notes
  }

  /// The SPIFFS build configuration of the platform with this geometry.
  public var layout: SPIFFSLayout {
    SPIFFSLayout(platform: platform, imageSize: imageSize, blockSize: blockSize, pageSize: pageSize)
  }

  public var description: String {
    "\(name) (\(platform), offset 0x\(String(flashOffset, radix: 16, uppercase: true)), "
      + "size 0x\(String(imageSize, radix: 16, uppercase: true)), block \(blockSize), page \(pageSize))"
  }
}

/// Every built-in layout, and lookup by name.
public enum SPIFFSLayoutPresets {
  public static let all: [SPIFFSLayoutPreset] =
    ESP8266Presets.current + ESP8266Presets.core25 + ESP8266Presets.core242 + ESP32Presets.all
      + ESP32SchemePresets.all

  /// Finds a preset by name or alias, ignoring case. An ESP8266 name may carry a core version:
  /// `4M1M@2.5.2` and `4M1M@2.5` give the ≤ 2.5 sizes, `@2.4.2`, `@2.4` and `@2.3` the 2.4.2 table, and
  /// `@2.6`…`@3.x` the current table.
  public static func named(_ name: String) -> SPIFFSLayoutPreset? {
    let wanted = canonical(name)
    return all.first { preset in
      canonical(preset.name) == wanted || preset.aliases.contains { canonical($0) == wanted }
    }
  }

  /// The smallest preset of `platform` whose image is at least `bytes` large (for "does not fit" hints).
  /// Versioned and superseded variants are skipped.
  public static func smallestHolding(bytes: Int, platform: SPIFFSLayout.Platform) -> SPIFFSLayoutPreset? {
    let family: Set<SPIFFSLayout.Platform> = platform == .esp8266 ? [.esp8266] : [.esp32, .espIDF]
    return all.filter { family.contains($0.platform) && !$0.name.contains("@") && $0.imageSize >= bytes }
      .min { ($0.imageSize, $0.flashOffset) < ($1.imageSize, $1.flashOffset) }
  }

  /// Lowercased, with a core version folded into the table it selects.
  static func canonical(_ name: String) -> String {
    let lower = lowercase(name.trimmingWhitespace())
    guard let at = lower.firstIndex(of: "@") else { return lower }
    let base = String(lower[..<at])
    let version = String(lower[lower.index(after: at)...])
    if version.hasPrefix("2.5") { return base + "@2.5" }
    if version.hasPrefix("2.4") || version.hasPrefix("2.3") { return base + "@2.4.2" }
    if version.hasPrefix("2.6") || version.hasPrefix("2.7") || version.hasPrefix("3.") || version == "3" {
      return base
    }
    return lower
  }

  /// ASCII lowercasing without Foundation.
  public static func lowercase(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
      (65...90).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value + 32)) : scalar
    }))
  }
}

extension String {
  func trimmingWhitespace() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
          let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    return String(scalars[first...last])
  }
}
