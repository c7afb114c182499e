import ArgumentParser
import ESPFlashKit
import Foundation
import LittleFS
import SPIFFS

/// `--format compact|mkspiffs|mklittlefs` (compact is the default format of either file system).
enum FormatOption: String, ExpressibleByArgument, CaseIterable {
  case compact
  case mkspiffs
  case mklittlefs
  var format: SPIFFSImageFormat { self == .compact ? .compact : .mkspiffs }
}

/// `--fs spiffs|littlefs`.
enum FileSystemOption: String, ExpressibleByArgument, CaseIterable {
  case spiffs
  case littlefs
}

/// How a data folder is packed: the options `fs build`, `fs upload` and `fs provision` share, so the three
/// commands spell, document and apply them the same way.
struct FSPackingOptions: ParsableArguments {
  @Option(name: .customLong("fs"), help: "The file system to build: spiffs or littlefs.")
  var fileSystem: FileSystemOption = .spiffs

  @Option(help: """
    compact (SPIFFS: no wasted pages; LittleFS: made for the board, erased space 0xFF, same bytes for the same \
    files), mkspiffs or mklittlefs (byte-identical to that tool for the same order).
    """)
  var format: FormatOption = .compact

  @Option(help: """
    LittleFS file times: own (each file's mtime, as mklittlefs stores), none, or seconds since 1970. Default: \
    SOURCE_DATE_EPOCH when set, else none (with --format mklittlefs: own).
    """)
  var fileTimes: String?

  @Option(help: "With --format mklittlefs: the tool to match, esp8266, esp32 (4.0.2) or esp32-legacy (arduino-esp32 ≤ 3.3.0). Default: the layout's platform.")
  var littlefsTool: String?

  @Option(help: "A file listing the SPIFFS paths in the order to pack them, one per line (e.g. mkspiffs' output).")
  var order: String?

  @Flag(help: "Also pack .DS_Store, .git, .gitignore and .gitmodules (mkspiffs -a).")
  var includeHidden = false

  func validate() throws {
    if fileSystem == .spiffs, format == .mklittlefs {
      throw ValidationError("--format mklittlefs builds LittleFS: add --fs littlefs")
    }
    if fileSystem == .littlefs, format == .mkspiffs {
      throw ValidationError("--format mkspiffs builds SPIFFS; for LittleFS use compact or mklittlefs")
    }
    if let tool = littlefsTool, LittleFSToolProfile.named(tool) == nil {
      throw ValidationError("--littlefs-tool must be esp8266, esp32 or esp32-legacy")
    }
    if let times = fileTimes, times != "own", times != "none", Int64(times) == nil {
      throw ValidationError("--file-times must be own, none or seconds since 1970")
    }
  }

  /// SOURCE_DATE_EPOCH (the reproducible-builds convention), when set to a number.
  static var sourceDateEpoch: Int64? {
    ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
  }

  /// The LittleFS pipeline options: file times and root time settled from the options and SOURCE_DATE_EPOCH.
  func littlefsOptions(_ base: ImagePipeline.Options) -> LittleFSImagePipeline.Options {
    let epoch = Self.sourceDateEpoch
    let mklittlefs = format == .mklittlefs
    let times: LittleFSBuilder.FileTimes
    switch fileTimes {
    case "own": times = .own
    case "none": times = .none
    case let value?: times = .fixed(Int64(value) ?? 0)
    case nil: times = epoch.map { .fixed($0) } ?? (mklittlefs ? .own : .none)
    }
    // mklittlefs stamps the root with the build time; the board format only when a build time is fixed.
    let buildTime = epoch ?? (mklittlefs ? Int64(Date().timeIntervalSince1970) : nil)
    return LittleFSImagePipeline.Options(
      base: base, format: mklittlefs ? .mklittlefs(littlefsTool.flatMap(LittleFSToolProfile.named)) : .device,
      fileTimes: times, buildTime: buildTime)
  }

  /// The pipeline options for `dataDir` packed with these settings.
  func pipelineOptions(dataDir: String, preset: SPIFFSLayoutPreset,
                       credentials: ImagePipeline.CredentialHandling) -> ImagePipeline.Options {
    ImagePipeline.Options(dataDir: dataDir, preset: preset, format: format.format, orderFile: order,
                          includeHidden: includeHidden, credentials: credentials)
  }
}
