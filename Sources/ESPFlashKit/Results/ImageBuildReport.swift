import SPIFFS

/// A built image described for reports and `fs build --json`.
public struct ImageBuildReport: Codable, Sendable {
  public struct File: Codable, Sendable, Equatable {
    public var name: String
    public var size: Int
    public var objectID: Int
  }

  /// A file whose stored name or bytes differ from the folder's.
  public struct Conversion: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var change: StoredFileChange
    public var size: Int
  }

  /// Where the image was saved (set by the caller).
  public var output: String?
  public var data: String
  public var layout: String
  public var platform: String
  public var format: String
  public var imageSize: Int
  public var blockSize: Int
  public var pageSize: Int
  /// nil for a custom layout without a flash address.
  public var flashOffset: Int?
  public var files: [File]
  public var usedPages: Int
  public var deletedPages: Int
  public var freePages: Int
  public var dataBytes: Int
  public var freeBytes: Int?
  public var largestNewFile: Int?
  public var garbageCollections: Int
  public var skipped: [String]
  /// Only present when DER conversion or renames changed a file.
  public var conversions: [Conversion]?
  /// Only present when credentials were checked.
  public var certCheck: CredentialCheckOutcome?

  public init(_ built: ImagePipeline.Output, dataDir: String, preset: SPIFFSLayoutPreset, output: String? = nil) {
    let result = built.result
    self.output = output
    data = dataDir
    layout = preset.name
    platform = preset.platform.rawValue
    format = result.format.rawValue
    imageSize = result.layout.imageSize
    blockSize = result.layout.blockSize
    pageSize = result.layout.pageSize
    flashOffset = preset.knownFlashOffset
    let ids = result.objectIDs.map(Int.init)
    files = built.files.enumerated().map { index, file in
      File(name: file.displayName, size: file.size, objectID: index < ids.count ? ids[index] : 0)
    }
    usedPages = result.usedPages
    deletedPages = result.deletedPages
    freePages = result.freePages
    dataBytes = result.dataBytes
    freeBytes = built.usage?.freeBytes
    largestNewFile = built.usage?.largestNewFile
    garbageCollections = result.garbageCollections
    skipped = built.skipped
    let changed = built.files.compactMap { file in
      file.change.map {
        Conversion(from: ImagePipeline.relativeName(file.source.spiffsName), to: file.displayName, change: $0, size: file.size)
      }
    }
    conversions = changed.isEmpty ? nil : changed
    certCheck = built.check
  }
}
