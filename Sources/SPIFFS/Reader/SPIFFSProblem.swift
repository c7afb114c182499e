/// One inconsistency found by `SPIFFSImage.check()`, located by block and page.
public struct SPIFFSProblem: Hashable, Sendable, CustomStringConvertible {
  public enum Severity: String, Hashable, Sendable {
    /// SPIFFS works around it (or its own check would silently repair it); data is not at risk.
    case warning
    /// A file cannot be read correctly, or SPIFFS would refuse or misread the image.
    case error
    /// Worth knowing, but neither SPIFFS_check nor a read would complain (kept out of `problems`).
    case note
  }

  public enum Kind: String, Hashable, Sendable, CaseIterable {
    /// A block's magic differs from the layout's.
    case badMagic
    /// A lookup entry says free but its page has been written.
    case freeEntryWrittenPage
    /// A lookup entry says deleted but its page flags say live.
    case deletedEntryLivePage
    /// A lookup entry names an object the page header does not (other id, or index bit differs).
    case lookupMismatch
    /// The page header's flags contradict a live page (deleted, not written, not finished).
    case badFlags
    /// An index table entry points at a page that is not this object's data page for that span.
    case indexPointsAtWrongPage
    /// A span inside the file size has no data page.
    case missingSpan
    /// An index page the file size needs does not exist.
    case missingIndexPage
    /// Two live index pages claim the same object and span (a note: SPIFFS_check accepts it).
    case duplicateIndexPage
    /// An index header whose "being deleted" flag is set: a remove interrupted by a reset.
    case halfDeletedHeader
    /// A data page named by two live index pages (SPIFFS_check deletes the object).
    case multiplyReferencedPage
    /// The size field is larger than the image can hold.
    case sizeTooLarge
    /// Two files have the same name.
    case duplicateName
    /// The name field has no terminating NUL.
    case unterminatedName
    /// The object type byte is not 1 (file).
    case unexpectedType
    /// A live data page that no file's index references.
    case orphanDataPage
    /// A live index page (span > 0) of an object without a header, or beyond the file's size.
    case orphanIndexPage
  }

  public var severity: Severity
  public var kind: Kind
  public var block: Int?
  public var page: Int?
  public var objectID: UInt16?
  public var message: String

  public init(_ severity: Severity, _ kind: Kind, block: Int? = nil, page: Int? = nil, objectID: UInt16? = nil,
              _ message: String) {
    self.severity = severity
    self.kind = kind
    self.block = block
    self.page = page
    self.objectID = objectID
    self.message = message
  }

  public var description: String {
    var where_: [String] = []
    if let block { where_.append("block \(block)") }
    if let page { where_.append("page \(page)") }
    if let objectID { where_.append("id \(SPIFFSName.hexID(objectID))") }
    let location = where_.isEmpty ? "" : " [" + where_.joined(separator: ", ") + "]"
    return "\(severity.rawValue): \(message)\(location)"
  }
}

/// What `check()` found.
public struct SPIFFSCheckReport: Hashable, Sendable {
  public var layout: SPIFFSLayout
  /// What SPIFFS_check would report or repair, and what stops a file from being read.
  public var problems: [SPIFFSProblem]
  /// Unusual states SPIFFS handles without complaint (severity `.note`).
  public var notes: [SPIFFSProblem]
  public var filesChecked: Int
  public var pagesChecked: Int

  public init(layout: SPIFFSLayout, problems: [SPIFFSProblem], notes: [SPIFFSProblem] = [], filesChecked: Int,
              pagesChecked: Int) {
    self.layout = layout
    self.problems = problems
    self.notes = notes
    self.filesChecked = filesChecked
    self.pagesChecked = pagesChecked
  }

  public var errors: [SPIFFSProblem] { problems.filter { $0.severity == .error } }
  public var warnings: [SPIFFSProblem] { problems.filter { $0.severity == .warning } }
  /// No errors (warnings allowed).
  public var isConsistent: Bool { errors.isEmpty }
}
