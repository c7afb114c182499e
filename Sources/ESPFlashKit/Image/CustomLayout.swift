import SPIFFS

/// A layout given by its numbers (`--size/--block/--platform`) rather than by a preset name. It has no flash
/// address of its own, so every step that needs one asks for it instead of using the preset's zero.
extension SPIFFSLayoutPreset {
  /// The name such a layout carries; no built-in preset uses it.
  public static let customName = "custom"

  public static func custom(platform: SPIFFSLayout.Platform, imageSize: Int, blockSize: Int,
                            pageSize: Int = 256) -> SPIFFSLayoutPreset {
    SPIFFSLayoutPreset(name: customName, platform: platform, flashSize: nil, flashOffset: 0, imageSize: imageSize,
                       blockSize: blockSize, pageSize: pageSize, notes: "from --size/--block/--platform")
  }

  public var isCustom: Bool { name == Self.customName }

  /// The preset's flash address, or nil for a custom layout.
  public var knownFlashOffset: Int? { isCustom ? nil : flashOffset }

  /// Whether a chip family runs file systems of this layout (ESP8266 layouts only on the ESP8266).
  public func sameFamily(as platform: SPIFFSLayout.Platform) -> Bool {
    (self.platform == .esp8266) == (platform == .esp8266)
  }
}
