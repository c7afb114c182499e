import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs extract IMAGE DIR`: every file below DIR, never outside it.
struct FSExtractCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "extract",
    abstract: "Extract every file of a SPIFFS image into a folder.",
    discussion: """
      Sub-folders are recreated from the names (/www/app.js → DIR/www/app.js). Names that would leave DIR (..), \
      or that are empty, are refused; control characters and invalid UTF-8 are replaced with _. Existing files \
      are not overwritten unless --force is given, and existing symlinks inside DIR are never followed.
      """)

  @OptionGroup var source: FSImageOptions

  @Argument(help: "The folder to extract into (created if missing).")
  var directory: String?

  @Flag(help: "Overwrite files that already exist.")
  var force = false

  func run() throws {
    // With --port the one positional argument is the folder: `fs extract --port P backup/`.
    var source = source
    var directory = self.directory
    if source.board.port != nil, directory == nil { (directory, source.image) = (source.image, nil) }
    guard let directory else { throw CLIError("extract into which folder? pass DIR", status: .usage) }
    let opened = try source.openAny()
    if case .littlefs(let image) = opened {
      try SafeExtraction.extract(image, into: directory, force: force, events: CLIEvents().handler)
      return
    }
    guard case .spiffs(let image, _) = opened else { return }
    try SafeExtraction.extract(image, into: directory, force: force, events: CLIEvents().handler)
  }
}
