import ArgumentParser
import ESPFlashKit
import LittleFS
import SPIFFS

/// `fs cat IMAGE NAME`: one file's raw bytes on stdout.
struct FSCatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cat", abstract: "Write one file of a SPIFFS image to stdout.")

  @OptionGroup var source: FSImageOptions

  @Argument(help: "The SPIFFS name, e.g. /config.json (the leading / may be left out).")
  var name: String?

  func run() throws {
    // With --port the one positional argument is the name: `fs cat --port P /config.json`.
    var source = source
    var name = self.name
    if source.board.port != nil, name == nil { (name, source.image) = (source.image, nil) }
    guard let name else { throw CLIError("which file? pass its SPIFFS name, e.g. /config.json", status: .usage) }
    let image: SPIFFSImage
    switch try source.openAny(boardScope: .file(Array(name.utf8))) {
    case .littlefs(let littlefs): return Console.writeRaw(try littlefs.read(name))
    case .spiffs(let spiffs, _): image = spiffs
    }
    var wanted = Array(name.utf8)
    if image.entry(named: wanted) == nil, wanted.first != UInt8(ascii: "/") { wanted.insert(UInt8(ascii: "/"), at: 0) }
    Console.writeRaw(try image.contents(ofFileNamed: wanted))
  }
}
