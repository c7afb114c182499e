/// A sketch folder, board name, project file or firmware set that cannot be used as given; nothing was
/// written. The CLI maps `kind` to its exit status (usage 64, bad data 65, missing input 66).
public struct ProjectError: Error, CustomStringConvertible, Sendable {
  public enum Kind: Sendable {
    case usage
    case badData
    case missingInput
  }

  public var message: String
  /// What to pass or do instead.
  public var hint: String?
  public var kind: Kind

  public init(_ message: String, hint: String? = nil, kind: Kind) {
    self.message = message
    self.hint = hint
    self.kind = kind
  }

  public var description: String { message }
}
