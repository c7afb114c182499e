/// One finding of `check()`, with the block (and offset when known) it is about.
public struct LittleFSProblem: Equatable, Sendable, CustomStringConvertible {
  public enum Severity: String, Sendable { case error, warning }
  public var severity: Severity
  public var block: Int?
  public var offset: Int?
  public var path: String?
  public var message: String

  public init(_ severity: Severity, block: Int?, offset: Int? = nil, path: String? = nil, _ message: String) {
    self.severity = severity
    self.block = block
    self.offset = offset
    self.path = path
    self.message = message
  }

  public var description: String {
    var place: [String] = []
    if let block { place.append("block \(block)") }
    if let offset { place.append("offset 0x\(String(offset, radix: 16))") }
    if let path { place.append(path) }
    return "\(severity.rawValue): \(place.joined(separator: ", ")): \(message)"
  }
}
