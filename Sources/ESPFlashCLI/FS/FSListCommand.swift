import ArgumentParser
import Foundation
import SPIFFS

/// `fs ls IMAGE`: what `mkspiffs -l` shows, plus where each file lives.
struct FSListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ls",
    abstract: "List the files in a SPIFFS image or on a board (in SPIFFS_readdir order).",
    discussion: """
      Without --layout the layout of an image file is detected from the block magic numbers. With --port and no \
      IMAGE the board's partition is listed (--layout needed; --offset overrides its address): only the lookup \
      entries and the index headers are read, a few percent of the partition.
      Examples:
        espflash-swift fs ls spiffs.bin
        espflash-swift fs ls --layout 4M1M --port /dev/ttyUSB0
      """)

  @OptionGroup var source: FSImageOptions

  @OptionGroup(title: "Connection (to list a board's partition)") var connection: ConnectionOptions

  func run() throws {
    if source.image == nil {
      let entries = try FSBoardRead.withPartition(connection, layoutOptions: source.layoutOptions,
                                                  offset: source.offset) { reader, target in
        try FSBoardRead.listing(&reader, target).entries()
      }
      try Self.printListing(entries, json: connection.json)
      return
    }
    let (image, _, _) = try source.open()
    try Self.printListing(image.entries(), json: connection.json)
  }

  /// The listing on stdout (a table, or JSON) and the count on stderr; shared with `fs download --list`.
  static func printListing(_ entries: [SPIFFSEntry], json: Bool) throws {
    if json {
      try FSOutput.json(entries.map(FileJSON.init))
      return
    }
    printTable(entries)
  }

  static func printTable(_ entries: [SPIFFSEntry]) {
    let showTime = entries.contains { $0.mtime != nil }
    FSOutput.print(FSOutput.pad("size", 9) + "  id      pages" + (showTime ? "  mtime               " : "") + "  name")
    for entry in entries {
      var line = FSOutput.pad(String(entry.size), 9) + "  " + FSOutput.hexID(entry.objectID) + FSOutput.pad(String(entry.pages), 7)
      if showTime { line += "  " + FSOutput.rightPad(entry.mtime.map(Self.formatTime) ?? "-", 20) }
      FSOutput.print(line + "  " + SPIFFSName.escaped(entry.nameBytes))
    }
    let total = entries.reduce(0) { $0 + $1.size }
    FSOutput.note("\(entries.count) files, \(total) bytes")
  }

  /// UTC, ISO 8601.
  static func formatTime(_ seconds: UInt32) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
  }
}

/// One file in `fs ls --json`.
struct FileJSON: Encodable {
  var name: String
  /// The raw name as hex, present only when it is not valid UTF-8 text.
  var nameHex: String?
  var size: Int
  var objectID: Int
  var headerPage: Int
  var pages: Int
  var mtime: String?

  init(_ entry: SPIFFSEntry) {
    name = entry.name
    nameHex = Array(entry.name.utf8) == entry.nameBytes ? nil : entry.nameBytes.map { String(format: "%02x", $0) }.joined()
    size = entry.size
    objectID = Int(entry.objectID)
    headerPage = entry.headerPage
    pages = entry.pages
    mtime = entry.mtime.map(FSListCommand.formatTime)
  }
}
