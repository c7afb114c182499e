import ESPLoader
import Foundation
import SPIFFS

/// What the user's folder and board names say, settled once for `fs build|upload|provision`: the data folder
/// to pack, the layout (or nil: the connected board decides), the port and baud, and a line for each choice
/// made on the user's behalf so nothing is packed or written "without a word".
public struct ProjectContext: Sendable {
  public var dataDir: String
  public var preset: SPIFFSLayoutPreset?
  public var port: String?
  public var baud: Int?
  /// The chip the board name implies, to check the connected one against.
  public var chip: Chip?
  public var sketch: SketchFolder?
  public var board: BoardSelection?
  public var notes: [String] = []

  /// `dataArgument`: DATA_DIR or SKETCH_DIR (or a PlatformIO project folder), nil for the current folder.
  /// `explicitPreset`: a layout the caller was given outright (--layout, --partitions, --size…), which wins.
  public static func resolve(dataArgument: String?, explicitPreset: SPIFFSLayoutPreset?, fqbn fqbnOption: String?,
                             pioEnv: String?, cwd: String = FileManager.default.currentDirectoryPath) throws -> ProjectContext {
    let sketch = SketchFolder.at(dataArgument ?? cwd)
    let argumentIsProject = dataArgument.map { FileManager.default.fileExists(atPath: $0 + "/platformio.ini") } ?? false
    let pioFolder = argumentIsProject ? dataArgument! : cwd
    // platformio.ini is read when asked for, when DATA_DIR is the project, or when nothing else names a layout.
    let wantsPIO = pioEnv != nil || argumentIsProject
      || (sketch == nil && explicitPreset == nil && fqbnOption == nil && dataArgument == nil)
    let pio = wantsPIO ? try PlatformIOProject.load(folder: pioFolder, env: pioEnv) : nil

    var context = ProjectContext(dataDir: "")
    context.sketch = sketch
    if let sketch {
      guard sketch.hasDataFolder else {
        throw ProjectError("\(sketch.path) is a sketch folder (\(sketch.name)) without a data folder",
                       hint: "put the files for the board in \(sketch.dataDir)/ (sketch files are never packed)",
                       kind: .missingInput)
      }
      context.dataDir = sketch.dataDir
      context.notes.append("sketch \(sketch.name): packing \(sketch.dataDir)/ (the sketch's own files are not packed)")
      context.port = sketch.defaultPort
      context.baud = sketch.defaultBaud
    } else if let pio, dataArgument == nil || argumentIsProject {
      context.dataDir = pio.dataDir
      context.notes.append("platformio.ini [env:\(pio.environment)]: packing \(pio.dataDir)/")
    } else if let dataArgument {
      context.dataDir = dataArgument
    } else {
      throw ProjectError("no data folder given", hint: "pass DATA_DIR or a sketch folder (one holding NAME.ino or sketch.yaml)",
                     kind: .usage)
    }
    if let pio {
      context.port = context.port ?? pio.uploadPort
      context.baud = context.baud ?? pio.uploadSpeed
    }

    if let explicitPreset {
      context.preset = explicitPreset
      if fqbnOption != nil { context.notes.append("note: --layout/--partitions/--size take precedence over --fqbn") }
      return context
    }
    let hasCSV = sketch?.partitionsCSV != nil
    if let text = fqbnOption ?? sketch?.defaultFQBN {
      let fqbn = try FQBN(text)
      let selection = try BoardSelection.resolve(fqbn, hasSketchPartitions: hasCSV && fqbn.vendor.lowercased() == "esp32")
      context.board = selection
      context.chip = selection.isESP8266 ? .esp8266 : selection.mcu.flatMap(Chip.init(argument:))
      let from = fqbnOption != nil ? "--fqbn" : "sketch.yaml default_fqbn"
      if let preset = selection.preset {
        context.preset = preset
        context.notes.append("board \(fqbn.vendor):\(fqbn.architecture):\(fqbn.board) (\(from)): "
          + "\(selection.menuKey)=\(selection.menuValue)\(selection.isDefault ? " (the board's default)" : "") "
          + "→ layout \(preset.name)")
        return context
      }
    } else if hasCSV, !(pio.map { !$0.isESP32 } ?? false) {
      context.chip = nil
    } else if let pio {
      context.preset = try pio.preset()
      context.notes.append("platformio.ini [env:\(pio.environment)] → layout \(context.preset!.name)")
      return context
    } else {
      return context
    }
    // An ESP32 sketch with its own partitions.csv: arduino-esp32 builds with it whatever the scheme (§2.3).
    if let csv = sketch?.partitionsCSV, context.board.map({ !$0.isESP8266 }) ?? true {
      let text = try String(contentsOfFile: csv, encoding: .utf8)
      context.preset = try PartitionTable(csv: text).spiffsPreset(name: "\(sketch!.name)/partitions.csv")
      context.notes.append("ESP32 sketch partition table \(csv) → spiffs at "
        + "\(ByteSize.hex(context.preset!.flashOffset)), \(ByteSize.human(context.preset!.imageSize))")
    }
    return context
  }
}

