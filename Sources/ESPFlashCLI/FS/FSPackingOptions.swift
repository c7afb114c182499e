import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `--format compact|mkspiffs`.
enum FormatOption: String, ExpressibleByArgument, CaseIterable {
  case compact
  case mkspiffs
  var format: SPIFFSImageFormat { self == .compact ? .compact : .mkspiffs }
}

/// How a data folder is packed: the options `fs build`, `fs upload` and `fs provision` share, so the three
/// commands spell, document and apply them the same way.
struct FSPackingOptions: ParsableArguments {
  @Option(help: "compact (valid SPIFFS, no wasted pages) or mkspiffs (byte-identical to mkspiffs for the same order).")
  var format: FormatOption = .compact

  @Option(help: "A file listing the SPIFFS paths in the order to pack them, one per line (e.g. mkspiffs' output).")
  var order: String?

  @Flag(help: "Also pack .DS_Store, .git, .gitignore and .gitmodules (mkspiffs -a).")
  var includeHidden = false

  /// The pipeline options for `dataDir` packed with these settings.
  func pipelineOptions(dataDir: String, preset: SPIFFSLayoutPreset,
                       credentials: ImagePipeline.CredentialHandling) -> ImagePipeline.Options {
    ImagePipeline.Options(dataDir: dataDir, preset: preset, format: format.format, orderFile: order,
                          includeHidden: includeHidden, credentials: credentials)
  }
}
