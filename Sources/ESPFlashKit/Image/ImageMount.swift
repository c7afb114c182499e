import SPIFFS

/// Opening SPIFFS bytes whose layout is known (a file, or a partition read from a board) the way a device's
/// `SPIFFS.begin()` would, with the layout that would mount them named when the given one does not.
public enum ImageMount {
  /// Largest file read as an image: SPIFFS page indexes are 16 bits, so no layout needs more than this.
  public static let maximumImageBytes = 256 << 20

  /// Checks that SPIFFS would mount `bytes` with `known`'s layout.
  public static func mount(_ bytes: [UInt8], preset known: SPIFFSLayoutPreset,
                           events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> SPIFFSImage {
    if bytes.count > known.imageSize {
      events(.note("image is \(bytes.count) bytes, layout \(known.name) \(known.imageSize); reading the first \(known.imageSize)"))
    }
    let spiffs = try SPIFFSImage(bytes: bytes, layout: known.layout)
    do {
      try spiffs.mount()
      if let block = spiffs.blocksWithBadMagic().first { events(.note(badMagicNote(block))) }
    } catch {
      guard case .notAFileSystem = error else { throw error }
      let detected = (try? SPIFFSLayoutDetector.detect(bytes))
        ?? (try? SPIFFSLayoutDetector.detect(bytes, imageSize: spiffs.layout.imageSize))
      throw LayoutMismatch(error: error, detected: detected)
    }
    return spiffs
  }

  public static func badMagicNote(_ block: Int) -> String {
    "warning: block \(block) has no magic; a device treats it as an interrupted erase and erases it at mount"
  }

  /// `esp8266, size 0xFA000, block 8192, page 256 (= 4M1M, …)`.
  public static func describe(_ layout: SPIFFSLayout) -> String {
    let platform = layout.platform.map { $0 == .esp32 ? "esp32/esp-idf" : $0.rawValue } ?? SPIFFSLayoutPreset.customName
    var text = "\(platform), size \(Hex.address(layout.imageSize)), block \(layout.blockSize), page \(layout.pageSize)"
    let names = matchingPresets(layout).filter { !$0.name.contains("@") }.map(\.name)
    if !names.isEmpty { text += " (= " + names.prefix(4).joined(separator: ", ") + ")" }
    return text
  }

  /// Presets with exactly this on-flash format and geometry (ESP-IDF and ESP32 store the same format).
  public static func matchingPresets(_ layout: SPIFFSLayout) -> [SPIFFSLayoutPreset] {
    SPIFFSLayoutPresets.all.filter {
      $0.imageSize == layout.imageSize && $0.blockSize == layout.blockSize && $0.pageSize == layout.pageSize
        && ($0.platform == .esp8266) == (layout.platform == .esp8266)
    }
  }

  public static func matchingPreset(_ layout: SPIFFSLayout) -> SPIFFSLayoutPreset? { matchingPresets(layout).first }
}

/// The layout given does not mount; `detected` is the one whose magic matches, if any.
public struct LayoutMismatch: Error, Sendable, CustomStringConvertible {
  public var error: SPIFFSReadError
  public var detected: LayoutCandidate?

  public var description: String { error.description }
}
