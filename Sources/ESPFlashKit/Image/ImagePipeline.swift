import Credentials
import Foundation
import SPIFFS

/// Data folder → SPIFFS image, as one reusable step so that every caller which builds (a file, an upload, one
/// image per device) packs exactly the same bytes.
///
/// Steps: walk the folder → apply the order file → read the files → [DER / renames] → check names →
/// [credential check] → fit check → build. Every refusal happens before an image exists; nothing is written
/// to disk here (the caller decides where the image goes).
public struct ImagePipeline {
  public struct Options: Sendable {
    public var dataDir: String
    public var preset: SPIFFSLayoutPreset
    public var format: SPIFFSImageFormat
    /// A file listing the SPIFFS paths in packing order.
    public var orderFile: String?
    public var includeHidden: Bool
    public var credentials: CredentialHandling
    /// A second folder laid over `dataDir` (one device's files): a file with the same path replaces the
    /// common one in place, the others follow the common files in walk order, so the common part of every
    /// device's image is packed in the same order.
    public var overlayDir: String?
    /// Keep every file's bytes in `Output.files` (for a manifest's hashes). Off, files stored unchanged are
    /// read again one at a time while packing and `Output.files` carries only their names and sizes, so a
    /// build never holds the whole folder and the image at once.
    public var retainContents: Bool

    public init(dataDir: String, preset: SPIFFSLayoutPreset, format: SPIFFSImageFormat = .compact,
                orderFile: String? = nil, includeHidden: Bool = false,
                credentials: CredentialHandling = CredentialHandling(), overlayDir: String? = nil,
                retainContents: Bool = true) {
      self.dataDir = dataDir
      self.preset = preset
      self.format = format
      self.orderFile = orderFile
      self.includeHidden = includeHidden
      self.credentials = credentials
      self.overlayDir = overlayDir
      self.retainContents = retainContents
    }
  }

  /// What happens to certificates and keys in the data folder.
  public struct CredentialHandling: Sendable {
    /// Store single PEM certificates/keys as DER (`DERConversion.convertForImage`).
    public var der: Bool
    /// Folder-relative name → stored name, e.g. `cert.pem` → `cert.der`; works without `der` as a plain rename.
    public var renames: [String: String]
    /// Check the credential files as stored; errors stop the build.
    public var check: Bool
    /// nil: from the layout's platform (`TargetPlatform.forImage`).
    public var target: TargetPlatform?
    public var endpoint: String?
    public var at: Date

    public init(der: Bool = false, renames: [String: String] = [:], check: Bool = true, target: TargetPlatform? = nil,
                endpoint: String? = nil, at: Date = Date()) {
      self.der = der
      self.renames = renames
      self.check = check
      self.target = target
      self.endpoint = endpoint
      self.at = at
    }
  }

  /// One file as it goes into the image.
  public struct StoredFile: Sendable {
    public var spiffsName: [UInt8]
    /// The bytes as stored. Empty for files packed straight from the folder when the pipeline ran with
    /// `retainContents` off; `size` still holds their size.
    public var contents: [UInt8] { didSet { size = contents.count } }
    /// Where it came from.
    public var source: FolderFile
    /// Set when the stored name or bytes differ from the folder's.
    public var change: StoredFileChange?

    public var displayName: String { String(decoding: spiffsName, as: UTF8.self) }
    public private(set) var size: Int

    /// `unreadSize`: the bytes were read and let go (they are read again while packing); their count.
    init(spiffsName: [UInt8], contents: [UInt8], source: FolderFile, unreadSize: Int? = nil) {
      self.spiffsName = spiffsName
      self.contents = contents
      self.source = source
      size = unreadSize ?? contents.count
    }
  }

  public struct Output: Sendable {
    public var result: SPIFFSBuildResult
    /// In build order, aligned with `result.objectIDs`.
    public var files: [StoredFile]
    /// Host paths the walk skipped.
    public var skipped: [String]
    /// nil when the folder holds no credentials or the check was turned off.
    public var check: CredentialCheckOutcome?
    /// Free space of the built image (what a device's `SPIFFS.info` would say right after flashing).
    public var usage: SPIFFSUsage?
    /// SPIFFS names (as found, before DER/renames) that came from `overlayDir`, and which of them replaced a
    /// file of `dataDir`.
    public var overlaid: Set<[UInt8]> = []
    public var replaced: [String] = []

    public var image: [UInt8] { result.image }
    /// File bytes stored (after DER conversion).
    public var dataBytes: Int { result.dataBytes }
  }

  public var options: Options
  /// Receives each note when it is made, so it is seen even if a later step fails.
  let events: WorkflowEvents

  public init(options: Options, events: @escaping WorkflowEvents = WorkflowEventsDefaults.silent) {
    self.options = options
    self.events = events
  }

  func note(_ text: String) { events(.note(text)) }

  /// The steps every file system shares: walk, order, overlay, read, DER/renames. `bound` refuses a folder
  /// too big for the image before reading it.
  struct Prepared {
    var stored: [StoredFile]
    var skipped: [String]
    var overlay: Overlay
  }

  func prepare(bound: ([FolderFile]) throws -> Void) throws -> Prepared {
    let walk = try DataFolder.walk(options.dataDir, includeHidden: options.includeHidden)
    for skipped in walk.skipped { note("skipping \(skipped.path): \(skipped.reason)") }
    var files = walk.files
    if let order = options.orderFile { files = try DataFolder.applyOrder(files, orderFile: order) }
    var overlay = Overlay()
    if let overlayDir = options.overlayDir {
      overlay = try Self.lay(overlayDir, over: files, includeHidden: options.includeHidden, note: note)
      files = overlay.files
    }
    if files.isEmpty { note("warning: \(options.dataDir) has no files to pack; the image will be empty") }
    try bound(files)
    var stored: [StoredFile] = []
    stored.reserveCapacity(files.count)
    // Without `retainContents`, only the bytes the credential steps look at are kept (names that look like
    // certificates or keys by name or content, and rename sources); the rest are read again while packing,
    // so the folder's bytes and the image are never all in memory at once.
    let renameSources = Set(options.credentials.renames.keys.map(Self.trimSlash))
    for file in files {
      let bytes = try HostFiles.read(file.hostPath)
      let name = Self.relativeName(file.spiffsName)
      if options.retainContents || renameSources.contains(name)
        || CredentialChecker.looksLikeCredential(name: name, bytes: bytes) {
        stored.append(StoredFile(spiffsName: file.spiffsName, contents: bytes, source: file))
      } else {
        stored.append(StoredFile(spiffsName: file.spiffsName, contents: [], source: file, unreadSize: bytes.count))
      }
    }
    return Prepared(stored: try applyConversions(stored), skipped: walk.skipped.map(\.path), overlay: overlay)
  }

  /// Runs every step and returns the built image; throws before building when anything is wrong.
  public func run() throws -> Output {
    let preset = options.preset
    let layout = preset.layout
    try layout.validate()
    let prepared = try prepare(bound: refuseHopelessSizes)
    let stored = prepared.stored
    let overlay = prepared.overlay

    let tooLong = stored.filter { $0.spiffsName.count > layout.maxNameBytes }
    guard tooLong.isEmpty else {
      throw SPIFFSBuildError.namesTooLong(tooLong.map { .init(name: $0.displayName, length: $0.spiffsName.count) },
                                          limit: layout.maxNameBytes)
    }
    let check = try checkStoredCredentials(stored)

    let infos = stored.map { SPIFFSFileInfo(nameBytes: $0.spiffsName, byteCount: $0.size) }
    try checkFit(infos)
    // Files whose bytes were let go are read again when packed, one at a time. One that cannot be read again
    // packs as empty bytes, which the builder refuses as changed; its read error is the one reported.
    let reread = RereadFailure()
    let planned = stored
    let result: SPIFFSBuildResult
    do {
      result = try SPIFFSBuilder(layout: layout, format: options.format).build(infos) { n in
        let file = planned[n]
        guard file.contents.isEmpty, file.size > 0 else { return file.contents }
        do throws(FileAccessError) { return try HostFiles.read(file.source.hostPath) } catch {
          reread.error = error
          return []
        }
      }
    } catch {
      if let failure = reread.error { throw failure }
      if case .doesNotFit(let needed, let capacity, let failedAt) = error {
        throw ImageDoesNotFit(neededBytes: needed, capacityBytes: capacity, failedAt: failedAt, preset: preset,
                              format: options.format)
      }
      throw error
    }
    let usage = (try? SPIFFSImage(bytes: result.image, layout: result.layout))?.usage()
    return Output(result: result, files: stored, skipped: prepared.skipped, check: check, usage: usage,
                  overlaid: overlay.names, replaced: overlay.replaced)
  }

  /// Bounds memory before reading: a folder holding more than twice the image's bytes cannot fit even after
  /// DER conversion (PEM → DER shrinks a file by about a quarter: base64 is 4/3 of the bytes). The estimate
  /// from the sizes alone is what `SPIFFSBuilder.requiredImageBytes` gives for compact packing.
  private func refuseHopelessSizes(_ files: [FolderFile]) throws(ImageDoesNotFit) {
    let layout = options.preset.layout
    let hostBytes = files.reduce(0) { $0 + $1.size }
    guard hostBytes > 2 * layout.imageSize else { return }
    let pages = files.reduce(0) { $0 + layout.pagesNeeded(forFileOfSize: $1.size) }
    let blocks = (pages + layout.objectPagesPerBlock - 1) / layout.objectPagesPerBlock + 2
    throw ImageDoesNotFit(neededBytes: blocks * layout.blockSize, capacityBytes: layout.imageSize, failedAt: nil,
                          preset: options.preset, format: options.format)
  }

  /// Refuses before building when the files cannot fit. Compact packing is the least any format needs
  /// (exact for the compact format); for the mkspiffs format the size reported is the builder's estimate of
  /// an image mkspiffs fills without garbage collection, a size that certainly works.
  private func checkFit(_ files: [SPIFFSFileInfo]) throws(ImageDoesNotFit) {
    let layout = options.preset.layout
    let compact = SPIFFSBuilder(layout: layout, format: .compact)
    let least = compact.requiredImageBytes(for: files)
    guard least > compact.capacityBytes else { return }
    let needed = options.format == .compact
      ? least : max(least, SPIFFSBuilder(layout: layout, format: options.format).requiredImageBytes(for: files))
    throw ImageDoesNotFit(neededBytes: needed, capacityBytes: layout.imageSize, failedAt: nil, preset: options.preset,
                          format: options.format)
  }
}

/// How a stored file differs from the folder's.
public enum StoredFileChange: String, Codable, Sendable {
  /// PEM certificate/key stored as DER.
  case der
  /// Same bytes, another name.
  case renamed
}

/// The first read error while packing (the builder's loader cannot throw).
private final class RereadFailure {
  var error: FileAccessError?
}
