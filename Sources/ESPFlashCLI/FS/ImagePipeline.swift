import Credentials
import Foundation
import SPIFFS

/// Data folder → SPIFFS image, the way `fs build` does it, as one reusable step so that a command which
/// builds and then flashes (`fs upload`) packs exactly the same bytes.
///
/// Steps: walk the folder → apply `--order` → read the files → [`--der` / `--rename`] → check names →
/// [credential check] → fit check → build. Every refusal happens before an image exists; nothing is written
/// to disk here (the caller decides where the image goes).
struct ImagePipeline {
  struct Options {
    var dataDir: String
    var preset: SPIFFSLayoutPreset
    var format: SPIFFSImageFormat = .compact
    /// A file listing the SPIFFS paths in packing order.
    var orderFile: String?
    var includeHidden = false
    var credentials = CredentialHandling()
    /// A second folder laid over `dataDir` (`fs provision`: one device's files): a file with the same path
    /// replaces the common one in place, the others follow the common files in walk order, so the common
    /// part of every device's image is packed in the same order.
    var overlayDir: String?
  }

  /// What happens to certificates and keys in the data folder.
  struct CredentialHandling {
    /// Store single PEM certificates/keys as DER (`DERConversion.convertForImage`).
    var der = false
    /// Folder-relative name → stored name, e.g. `cert.pem` → `cert.der`; works without `der` as a plain rename.
    var renames: [String: String] = [:]
    /// Run `certs check` on the credential files as stored; errors stop the build.
    var check = true
    /// nil: from the layout's platform (`TargetPlatform.forImage`).
    var target: TargetPlatform?
    var endpoint: String?
    var at = Date()
  }

  /// One file as it goes into the image.
  struct StoredFile {
    var spiffsName: [UInt8]
    var contents: [UInt8]
    /// Where it came from.
    var source: FolderFile
    /// Set when the stored name or bytes differ from the folder's.
    var change: Change?

    var displayName: String { String(decoding: spiffsName, as: UTF8.self) }
    var size: Int { contents.count }
  }

  enum Change: String, Encodable {
    /// PEM certificate/key stored as DER.
    case der
    /// Same bytes, another name (`--rename`).
    case renamed
  }

  /// The outcome of the credential check, for reports.
  struct CheckOutcome {
    var target: TargetPlatform
    var endpoint: String?
    var checkedFiles: [String]
    var findings: [Finding]
    var errorCount: Int { findings.filter { $0.severity == .error }.count }
    var warningCount: Int { findings.filter { $0.severity == .warning }.count }
  }

  struct Output {
    var result: SPIFFSBuildResult
    /// In build order, aligned with `result.objectIDs`.
    var files: [StoredFile]
    /// Host paths the walk skipped.
    var skipped: [String]
    /// Every note the pipeline printed, in order.
    var notes: [String]
    /// nil when the folder holds no credentials or the check was turned off.
    var check: CheckOutcome?
    /// SPIFFS names (as found, before `--der`/`--rename`) that came from `overlayDir`, and which of them
    /// replaced a file of `dataDir`.
    var overlaid: Set<[UInt8]> = []
    var replaced: [String] = []
  }

  var options: Options
  /// Receives each note when it is made (the CLI sends them to stderr), so they appear even if a later step fails.
  let onNote: (String) -> Void

  private final class NoteLog {
    var lines: [String] = []
  }
  private let log = NoteLog()

  init(options: Options, onNote: @escaping (String) -> Void = FSOutput.note) {
    self.options = options
    self.onNote = onNote
  }

  func note(_ text: String) {
    log.lines.append(text)
    onNote(text)
  }

  /// Runs every step and returns the built image; throws before building when anything is wrong.
  func run() throws -> Output {
    let preset = options.preset
    let layout = preset.layout
    try layout.validate()
    let walk = try FolderIO.walk(options.dataDir, includeHidden: options.includeHidden)
    for skipped in walk.skipped { note("skipping \(skipped.path): \(skipped.reason)") }
    var files = walk.files
    if let order = options.orderFile {
      guard let text = try? String(contentsOfFile: order, encoding: .utf8) else {
        throw CLIError("cannot read order file \(order)", status: .noInput)
      }
      files = try FolderIO.applyOrder(files, orderText: text, orderPath: order)
    }
    var overlay = Overlay()
    if let overlayDir = options.overlayDir {
      overlay = try Self.lay(overlayDir, over: files, includeHidden: options.includeHidden, note: note)
      files = overlay.files
    }
    if files.isEmpty { note("warning: \(options.dataDir) has no files to pack; the image will be empty") }
    try refuseHopelessSizes(files)

    var stored: [StoredFile] = []
    stored.reserveCapacity(files.count)
    for file in files {
      guard let data = FileManager.default.contents(atPath: file.hostPath) else {
        throw CLIError("cannot read \(file.hostPath)", status: .noInput)
      }
      stored.append(StoredFile(spiffsName: file.spiffsName, contents: [UInt8](data), source: file))
    }
    stored = try applyConversions(stored)

    let tooLong = stored.filter { $0.spiffsName.count > layout.maxNameBytes }
    guard tooLong.isEmpty else {
      throw SPIFFSBuildError.namesTooLong(tooLong.map { .init(name: $0.displayName, length: $0.spiffsName.count) },
                                          limit: layout.maxNameBytes)
    }
    let check = try checkStoredCredentials(stored)

    let spiffsFiles = stored.map { SPIFFSFile(nameBytes: $0.spiffsName, contents: $0.contents) }
    try checkFit(spiffsFiles)
    let result: SPIFFSBuildResult
    do {
      result = try SPIFFSBuilder(layout: layout, format: options.format).build(spiffsFiles)
    } catch {
      if case .doesNotFit(let needed, let capacity, let failedAt) = error {
        throw FSDoesNotFit(neededBytes: needed, capacityBytes: capacity, failedAt: failedAt, preset: preset,
                           format: options.format)
      }
      throw error
    }
    return Output(result: result, files: stored, skipped: walk.skipped.map(\.path), notes: log.lines, check: check,
                  overlaid: overlay.names, replaced: overlay.replaced)
  }

  /// Bounds memory before reading: a folder holding more than twice the image's bytes cannot fit even after
  /// `--der` (PEM → DER shrinks a file by about a quarter: base64 is 4/3 of the bytes). The estimate from the
  /// sizes alone is what `SPIFFSBuilder.requiredImageBytes` gives for compact packing of the same sizes.
  private func refuseHopelessSizes(_ files: [FolderFile]) throws {
    let layout = options.preset.layout
    let hostBytes = files.reduce(0) { $0 + $1.size }
    guard hostBytes > 2 * layout.imageSize else { return }
    let pages = files.reduce(0) { $0 + layout.pagesNeeded(forFileOfSize: $1.size) }
    let blocks = (pages + layout.objectPagesPerBlock - 1) / layout.objectPagesPerBlock + 2
    throw FSDoesNotFit(neededBytes: blocks * layout.blockSize, capacityBytes: layout.imageSize, failedAt: nil,
                       preset: options.preset, format: options.format)
  }

  /// Refuses before building when the files cannot fit. Compact packing is the least any format needs
  /// (exact for `--format compact`); for `--format mkspiffs` the size reported is the builder's estimate of
  /// an image mkspiffs fills without garbage collection, a size that certainly works.
  private func checkFit(_ files: [SPIFFSFile]) throws {
    let layout = options.preset.layout
    let least = SPIFFSBuilder(layout: layout, format: .compact).requiredImageBytes(for: files)
    let capacity = SPIFFSBuilder(layout: layout, format: .compact).capacityBytes
    guard least > capacity else { return }
    let needed = options.format == .compact
      ? least : max(least, SPIFFSBuilder(layout: layout, format: options.format).requiredImageBytes(for: files))
    throw FSDoesNotFit(neededBytes: needed, capacityBytes: layout.imageSize, failedAt: nil, preset: options.preset,
                       format: options.format)
  }
}
