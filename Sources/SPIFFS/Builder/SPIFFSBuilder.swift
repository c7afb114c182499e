// PLACEHOLDER: the builder helper replaces this file. The API below is the contract the CLI codes against.

/// How the builder lays files out.
public enum SPIFFSImageFormat: String, Hashable, Sendable, CaseIterable {
  /// Byte-identical to mkspiffs 0.2.0 (ESP8266) / 0.2.3 (ESP32) for the same file order.
  case mkspiffs
  /// Valid SPIFFS without the pages mkspiffs wastes: each header written once, pages in order.
  case compact
}

/// What a build produced.
public struct SPIFFSBuildResult: Sendable {
  public var image: [UInt8]
  public var layout: SPIFFSLayout
  public var format: SPIFFSImageFormat
  /// Object pages in use (index + data), deleted, and free after the build.
  public var usedPages: Int
  public var deletedPages: Int
  public var freePages: Int
  /// File bytes stored.
  public var dataBytes: Int
  /// Garbage-collection passes run while packing (mkspiffs format only).
  public var garbageCollections: Int
  /// The object id given to each file, in build order.
  public var objectIDs: [UInt16]
}

/// Why a build failed. Nothing is written when one is thrown.
public enum SPIFFSBuildError: Error, Hashable, Sendable, CustomStringConvertible {
  case invalidLayout(LayoutError)
  /// Every name longer than the limit, with its byte length.
  case namesTooLong([NameLength], limit: Int)
  /// The files need `neededBytes` of the image but the layout holds `capacityBytes`.
  case doesNotFit(neededBytes: Int, capacityBytes: Int, failedAt: String)
  case duplicateName(String)
  case invalidName(String, reason: String)
  case invalidMetadata(name: String, length: Int, expected: Int)

  public struct NameLength: Hashable, Sendable {
    public var name: String
    public var length: Int
    public init(name: String, length: Int) { self.name = name; self.length = length }
  }

  public var description: String { "build failed" }
}

/// Builds SPIFFS images from files, in the given order.
public struct SPIFFSBuilder: Sendable {
  public var layout: SPIFFSLayout
  public var format: SPIFFSImageFormat

  public init(layout: SPIFFSLayout, format: SPIFFSImageFormat = .compact) {
    self.layout = layout
    self.format = format
  }

  public func build(_ files: [SPIFFSFile]) throws(SPIFFSBuildError) -> SPIFFSBuildResult {
    fatalError("SPIFFSBuilder.build is not implemented yet")
  }
}
