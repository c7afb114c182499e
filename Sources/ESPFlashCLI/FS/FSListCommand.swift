import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs ls IMAGE`: what `mkspiffs -l` shows, plus where each file lives.
struct FSListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ls",
    abstract: "List the files in a SPIFFS or LittleFS image (the file system is detected from the bytes).",
    discussion: "Without --layout the layout is detected from the block magic numbers.")

  @OptionGroup var source: FSImageOptions

  @Flag(help: "Print the listing as JSON on stdout.")
  var json = false

  func run() throws {
    let entries: [ImageFileEntry]
    if let quick = source.quickSPIFFSListing() {
      entries = quick.map(ImageFileEntry.init)
    } else {
      let image: SPIFFSImage
      switch try source.openAny(boardScope: .listing) {
      case .littlefs(let littlefs): return try LittleFSRendering.list(littlefs, json: json)
      case .spiffs(let spiffs, _): image = spiffs
      }
      entries = image.entries().map(ImageFileEntry.init)
    }
    if json {
      try Console.json(entries)
    } else {
      ImageRenderer.printTable(entries)
    }
  }
}
