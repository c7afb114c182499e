import ArgumentParser
import Foundation
import SPIFFS

/// `fs ls IMAGE`: what `mkspiffs -l` shows, plus where each file lives.
struct FSListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ls",
    abstract: "List the files in a SPIFFS image (in SPIFFS_readdir order).",
    discussion: "Without --layout the layout is detected from the block magic numbers.")

  @OptionGroup var source: FSImageOptions

  @Flag(help: "Print the listing as JSON on stdout.")
  var json = false

  func run() throws {
    let (image, _, _) = try source.open()
    try Self.printListing(image.entries(), json: json)
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
    // One write for the whole table: a line per write costs a system call per file (2,000 on a big image).
    var table = FSOutput.pad("size", 9) + "  id      pages" + (showTime ? "  mtime               " : "") + "  name\n"
    table.reserveCapacity(entries.count * 48)
    for entry in entries {
      table += FSOutput.pad(String(entry.size), 9) + "  " + FSOutput.hexID(entry.objectID) + FSOutput.pad(String(entry.pages), 7)
      if showTime { table += "  " + FSOutput.rightPad(entry.mtime.map(Self.formatTime) ?? "-", 20) }
      table += "  " + SPIFFSName.escaped(entry.nameBytes) + "\n"
    }
    FileHandle.standardOutput.write(Data(table.utf8))
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
