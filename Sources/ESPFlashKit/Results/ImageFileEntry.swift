import Foundation
import SPIFFS

/// One file of a SPIFFS image, as listings report it (`fs ls --json`).
public struct ImageFileEntry: Codable, Sendable, Equatable {
  public var name: String
  /// The raw name as hex, present only when it is not valid UTF-8 text.
  public var nameHex: String?
  public var size: Int
  public var objectID: Int
  public var headerPage: Int
  public var pages: Int
  /// UTC, ISO 8601, when the image stores modification times.
  public var mtime: String?
  /// The raw name (not encoded: `name` and `nameHex` carry it).
  public var nameBytes: [UInt8] = []

  enum CodingKeys: String, CodingKey { case name, nameHex, size, objectID, headerPage, pages, mtime }

  public init(_ entry: SPIFFSEntry) {
    name = entry.name
    nameBytes = entry.nameBytes
    nameHex = Array(entry.name.utf8) == entry.nameBytes ? nil : Hex.bytes(entry.nameBytes)
    size = entry.size
    objectID = Int(entry.objectID)
    headerPage = entry.headerPage
    pages = entry.pages
    mtime = entry.mtime.map(Self.formatTime)
  }

  init(name: String, nameBytes: [UInt8], size: Int, objectID: Int, headerPage: Int, pages: Int, mtime: String?) {
    self.name = name
    self.nameBytes = nameBytes
    nameHex = Array(name.utf8) == nameBytes ? nil : Hex.bytes(nameBytes)
    self.size = size
    self.objectID = objectID
    self.headerPage = headerPage
    self.pages = pages
    self.mtime = mtime
  }

  /// UTC, ISO 8601.
  public static func formatTime(_ seconds: UInt32) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
  }
}
