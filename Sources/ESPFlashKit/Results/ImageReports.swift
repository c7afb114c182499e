import SPIFFS

/// A SPIFFS image's geometry, space and wear (`fs info --json`).
public struct ImageInfoReport: Codable, Sendable, Equatable {
  public var layout: String?
  public var platform: String
  public var imageSize: Int, blockSize: Int, pageSize: Int, blocks: Int, pagesPerBlock: Int
  public var objectPages: Int, usedPages: Int, deletedPages: Int, freePages: Int, freeBlocks: Int
  public var totalBytes: Int, usedBytes: Int, freeBytes: Int, files: Int, fileBytes: Int
  public var largestNewFile: Int, largestNewFileAfterGC: Int
  public var eraseCountMin: Int?, eraseCountMax: Int?
  public var badMagicBlocks: [Int]

  /// `presetName`: the layout given, else the preset with this geometry, if any.
  public init(_ image: SPIFFSImage, presetName: String?) {
    let u = image.usage(), layout = image.layout
    self.layout = presetName ?? ImageMount.matchingPreset(layout)?.name
    platform = layout.platform?.rawValue ?? SPIFFSLayoutPreset.customName
    imageSize = layout.imageSize; blockSize = layout.blockSize; pageSize = layout.pageSize
    blocks = u.blockCount; pagesPerBlock = u.pagesPerBlock
    objectPages = u.objectPages; usedPages = u.usedPages; deletedPages = u.deletedPages; freePages = u.freePages
    freeBlocks = u.freeBlocks; totalBytes = u.totalBytes; usedBytes = u.usedBytes; freeBytes = u.freeBytes
    files = u.fileCount; fileBytes = u.fileBytes
    largestNewFile = u.largestNewFile; largestNewFileAfterGC = u.largestNewFileAfterGC
    eraseCountMin = u.eraseCountMin; eraseCountMax = u.eraseCountMax
    badMagicBlocks = u.badMagicBlocks
  }
}

/// The consistency check of an image (`fs check --json`).
public struct ImageCheckReport: Codable, Sendable, Equatable {
  public struct Problem: Codable, Sendable, Equatable {
    public var severity: String, kind: String, block: Int?, page: Int?, objectID: Int?, message: String
  }
  public var consistent: Bool
  public var errors: Int
  public var warnings: Int
  public var filesChecked: Int
  public var pagesChecked: Int
  public var problems: [Problem]
  /// States SPIFFS accepts without complaint (e.g. a duplicate index page left by a failed append), shown for
  /// information.
  public var notes: [Problem]

  public init(_ report: SPIFFSCheckReport) {
    consistent = report.isConsistent
    errors = report.errors.count
    warnings = report.warnings.count
    filesChecked = report.filesChecked
    pagesChecked = report.pagesChecked
    func row(_ p: SPIFFSProblem) -> Problem {
      Problem(severity: p.severity.rawValue, kind: p.kind.rawValue, block: p.block, page: p.page,
              objectID: p.objectID.map(Int.init), message: p.message)
    }
    problems = report.problems.map(row)
    notes = report.notes.map(row)
  }
}

/// One built-in layout preset (`fs layouts --json`).
public struct LayoutPresetReport: Codable, Sendable, Equatable {
  public var name: String, aliases: [String], platform: String, flashSize: Int?, flashOffset: Int, size: Int, block: Int
  public var page: Int, notes: String

  public init(_ p: SPIFFSLayoutPreset) {
    name = p.name; aliases = p.aliases; platform = p.platform.rawValue; flashSize = p.flashSize
    flashOffset = p.flashOffset; size = p.imageSize; block = p.blockSize; page = p.pageSize; notes = p.notes
  }
}
