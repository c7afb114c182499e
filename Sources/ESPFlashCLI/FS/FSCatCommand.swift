import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs cat IMAGE NAME`: one file's raw bytes on stdout.
struct FSCatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cat", abstract: "Write one file of a SPIFFS image (or of a board's partition) to stdout.",
    discussion: """
      With --port and only NAME, the file is read from the board's partition (--layout needed): the lookup \
      entries, the index headers and that file's own pages, nothing else.
      Examples:
        espflash-swift fs cat spiffs.bin /config.json
        espflash-swift fs cat --layout 4M1M --port /dev/ttyUSB0 /config.json
      """)

  @OptionGroup var source: FSImageOptions

  @Argument(help: "The SPIFFS name, e.g. /config.json (the leading / may be left out).")
  var name: String?

  @OptionGroup(title: "Connection (to read from a board)") var connection: ConnectionOptions

  func run() throws {
    guard let name else {
      // `fs cat --port P NAME`: the one positional argument is the name.
      guard let only = source.image else { throw CLIError("no file name given", status: .usage) }
      Console.writeRaw(try FSBoardTarget.file(named: Array(only.utf8), source, connection))
      return
    }
    let (image, _, _) = try source.open()
    var wanted = Array(name.utf8)
    if image.entry(named: wanted) == nil, wanted.first != UInt8(ascii: "/") { wanted.insert(UInt8(ascii: "/"), at: 0) }
    Console.writeRaw(try image.contents(ofFileNamed: wanted))
  }
}
