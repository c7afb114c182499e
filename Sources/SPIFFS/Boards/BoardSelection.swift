/// An Arduino board with its menu selection, resolved to the file system layout the sketch is built with.
public struct BoardSelection: Hashable, Sendable {
  public var fqbn: FQBN
  public var isESP8266: Bool
  /// The ESP32-family chip (`build.mcu`), when the board is known; nil for ESP8266 and unknown boards.
  public var mcu: String?
  /// `eesz`, `FlashSize` or `PartitionScheme`.
  public var menuKey: String
  public var menuValue: String
  /// True when the value is the board's default rather than given in the FQBN.
  public var isDefault: Bool
  /// The layout; nil only for `PartitionScheme=custom`, which needs the sketch's partitions.csv.
  public var preset: SPIFFSLayoutPreset?

  /// Resolves `fqbn`. `hasSketchPartitions`: the sketch folder has a partitions.csv (ESP32 then uses it,
  /// like arduino-esp32's prebuild hook, so the scheme may even be one without a file system).
  public static func resolve(_ fqbn: FQBN, hasSketchPartitions: Bool = false) throws(BoardError) -> BoardSelection {
    switch (SPIFFSLayoutPresets.lowercase(fqbn.vendor), SPIFFSLayoutPresets.lowercase(fqbn.architecture)) {
    case ("esp8266", "esp8266"): return try esp8266(fqbn)
    case ("esp32", "esp32"): return try esp32(fqbn, hasSketchPartitions: hasSketchPartitions)
    default: throw .unsupportedCore("\(fqbn.vendor):\(fqbn.architecture)")
    }
  }

  private static func esp8266(_ fqbn: FQBN) throws(BoardError) -> BoardSelection {
    let board = SPIFFSLayoutPresets.lowercase(fqbn.board)
    // `FlashSize=` is the menu key of cores ≤ 2.4.2, `eesz=` of 2.5.0 and later (§0.1): the key says the era.
    let (key, value, isDefault, old): (String, String, Bool, Bool)
    if let given = fqbn.option("eesz") {
      (key, value, isDefault, old) = ("eesz", given, false, false)
    } else if let given = fqbn.option("FlashSize") {
      (key, value, isDefault, old) = ("FlashSize", given, false, true)
    } else if let known = ArduinoBoards.esp8266Defaults[board] {
      (key, value, isDefault, old) = ("eesz", known, true, false)
    } else {
      throw .unknownBoard(board: fqbn.board, menuKey: "eesz",
                          example: "esp8266:esp8266:\(fqbn.board):eesz=4M2M")
    }
    let lower = SPIFFSLayoutPresets.lowercase(value)
    if lower == "autoflash" { throw .autoflash }
    let sizeMatch = value.prefix { $0.isNumber || $0 == "K" || $0 == "M" || $0 == "k" || $0 == "m" }
    let noFS = ArduinoMenuLabels.esp8266NoFS.map { SPIFFSLayoutPresets.lowercase($0.id) } + ["512k0", "1m0"]
    if noFS.contains(lower) || (!old && ["2m", "8m", "16m"].contains(lower)) {
      let flash = String(sizeMatch.prefix { $0.isNumber }) + (sizeMatch.contains { $0 == "K" || $0 == "k" } ? "K" : "M")
      let alternatives = ESP8266Presets.current.map(\.name).filter { $0.hasPrefix(flash) && $0 != flash }
      throw .noFileSystem(key: key, value: value, alternatives: alternatives.map { "\(key)=\($0)" })
    }
    let name = old ? value + "@2.4.2" : value
    guard let preset = SPIFFSLayoutPresets.named(name), preset.platform == .esp8266 else {
      let pool = old ? ESP8266Presets.core242.map { String($0.name.prefix { $0 != "@" }) } : ESP8266Presets.current.map(\.name)
      throw .unknownOption(key: key, value: value, suggestions: LayoutNames.closest(to: value, among: pool))
    }
    return BoardSelection(fqbn: fqbn, isESP8266: true, mcu: nil, menuKey: key, menuValue: value,
                          isDefault: isDefault, preset: preset)
  }

  private static func esp32(_ fqbn: FQBN, hasSketchPartitions: Bool) throws(BoardError) -> BoardSelection {
    let board = SPIFFSLayoutPresets.lowercase(fqbn.board)
    let known = ArduinoBoards.esp32Boards[board]
    let (value, isDefault): (String, Bool)
    if let given = fqbn.option("PartitionScheme") {
      (value, isDefault) = (given, false)
    } else if let known {
      (value, isDefault) = (known.scheme, true)
    } else if hasSketchPartitions {
      (value, isDefault) = ("custom", true)
    } else {
      throw .unknownBoard(board: fqbn.board, menuKey: "PartitionScheme",
                          example: "esp32:esp32:\(fqbn.board):PartitionScheme=default")
    }
    var selection = BoardSelection(fqbn: fqbn, isESP8266: false, mcu: known?.mcu, menuKey: "PartitionScheme",
                                   menuValue: value, isDefault: isDefault, preset: nil)
    // The sketch's partitions.csv replaces the scheme's CSV at build time (§2.3), whatever the scheme says.
    if hasSketchPartitions { return selection }
    guard let fileSystem = ArduinoBoards.esp32Schemes[SPIFFSLayoutPresets.lowercase(value)] else {
      throw .unknownOption(key: "PartitionScheme", value: value,
                           suggestions: LayoutNames.closest(to: value, among: ArduinoMenuLabels.esp32Schemes.map(\.id)))
    }
    switch fileSystem {
    case .spiffs(let layout):
      selection.preset = SPIFFSLayoutPresets.named(layout)
      return selection
    case .fat: throw .fatOnly(scheme: value)
    case .none:
      throw .noFileSystem(key: "PartitionScheme", value: value,
                          alternatives: ["PartitionScheme=default", "PartitionScheme=min_spiffs", "PartitionScheme=no_ota"])
    case .custom: throw .customNeedsCSV
    }
  }
}
