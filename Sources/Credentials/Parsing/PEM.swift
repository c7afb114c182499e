import Foundation
internal import SwiftASN1

/// One PEM block (RFC 7468), with RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`).
public struct PEMBlock: Sendable {
  public let label: String
  /// Header lines before the base64 body, e.g. ("Proc-Type", "4,ENCRYPTED").
  public let headers: [(name: String, value: String)]
  public let der: [UInt8]
  /// 1-based line of the BEGIN line.
  public let line: Int

  public var isLegacyEncrypted: Bool {
    headers.contains { $0.name.lowercased() == "proc-type" && $0.value.uppercased().contains("ENCRYPTED") }
  }
}

public enum PEMProblem: Sendable, Equatable {
  case missingEnd(label: String, line: Int)
  case badBase64(label: String, line: Int)
  case mismatchedEnd(begin: String, end: String, line: Int)
}

/// How the text differs from what `openssl` writes. Each stack tolerates a different subset
/// (FormatChecks judges them per target); the scanner itself reads through all of them, so that
/// `certs convert … --to pem` can write the clean file.
public struct PEMTextDefects: Sendable, Equatable {
  /// Starts with the UTF-8 byte-order mark EF BB BF (Windows editors).
  public var byteOrderMark = false
  /// The 1-based line of the first BEGIN/END or base64 line that starts with spaces or tabs.
  public var indentedLine: Int?
  /// The blocks sit on one line with the two characters `\` `n` between lines (a JSON string, a console copy).
  public var literalNewlines = false
  /// Non-blank text before the first BEGIN line / between or after blocks.
  public var textBeforeFirstBlock = false
  public var textOutsideBlocks = false
  public var crlf = false
}

enum PEM {
  /// True when the bytes contain a PEM BEGIN marker anywhere in the first 64 KB (a bounded scan).
  static func looksLikePEM(_ bytes: [UInt8]) -> Bool {
    let marker = Array("-----BEGIN ".utf8)
    let window = bytes.prefix(65_536)
    guard window.count >= marker.count else { return false }
    return (0...(window.count - marker.count)).contains { i in window[i] == 0x2D && Array(window[i..<(i + marker.count)]) == marker }
  }

  static func parse(_ bytes: [UInt8]) -> (blocks: [PEMBlock], problems: [PEMProblem], defects: PEMTextDefects) {
    var defects = PEMTextDefects()
    var text = bytes[...]
    if text.starts(with: [0xEF, 0xBB, 0xBF]) {
      defects.byteOrderMark = true
      text = text.dropFirst(3)
    }
    var string = String(decoding: text, as: UTF8.self)
    if string.contains("-----\\n") || string.contains("\\n-----") {
      defects.literalNewlines = true
      string = string.replacingOccurrences(of: "\\r\\n", with: "\n").replacingOccurrences(of: "\\n", with: "\n")
    }
    defects.crlf = bytes.contains(0x0D)
    // "\r\n" is one Character in Swift, so split on both.
    let lines = string.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { line in
      line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
    }
    var blocks: [PEMBlock] = []
    var problems: [PEMProblem] = []
    var i = 0
    func noteIndent(_ raw: String, _ number: Int) {
      if defects.indentedLine == nil, let c = raw.first, c == " " || c == "\t" { defects.indentedLine = number }
    }
    while i < lines.count {
      guard let label = boundaryLabel(lines[i].trimmingSpaces, kind: "BEGIN") else {
        if !lines[i].trimmingSpaces.isEmpty {
          if blocks.isEmpty && problems.isEmpty { defects.textBeforeFirstBlock = true }
          defects.textOutsideBlocks = true
        }
        i += 1
        continue
      }
      noteIndent(lines[i], i + 1)
      let beginLine = i + 1
      var headers: [(String, String)] = []
      var body = ""
      var j = i + 1
      var ended = false
      while j < lines.count {
        let current = lines[j].trimmingSpaces
        if let endLabel = boundaryLabel(current, kind: "END") {
          noteIndent(lines[j], j + 1)
          if endLabel != label { problems.append(.mismatchedEnd(begin: label, end: endLabel, line: j + 1)) }
          ended = true
          break
        }
        if boundaryLabel(current, kind: "BEGIN") != nil { break }
        if body.isEmpty, let colon = current.firstIndex(of: ":") {
          headers.append((String(current[..<colon]).trimmingSpaces, String(current[current.index(after: colon)...]).trimmingSpaces))
        } else if !current.isEmpty {
          noteIndent(lines[j], j + 1)
          body += current
        }
        j += 1
      }
      if !ended {
        problems.append(.missingEnd(label: label, line: beginLine))
        i = j
        continue
      }
      if let der = Data(base64Encoded: body) {
        blocks.append(PEMBlock(label: label, headers: headers, der: [UInt8](der), line: beginLine))
      } else {
        problems.append(.badBase64(label: label, line: beginLine))
      }
      i = j + 1
    }
    return (blocks, problems, defects)
  }

  /// `-----BEGIN X-----` → "X".
  private static func boundaryLabel(_ line: String, kind: String) -> String? {
    let prefix = "-----\(kind) "
    guard line.hasPrefix(prefix), line.hasSuffix("-----"), line.count >= prefix.count + 5 else { return nil }
    return String(line.dropFirst(prefix.count).dropLast(5))
  }

  /// PEM text as OpenSSL writes it: 64 base64 characters per line, LF line ends, trailing newline.
  static func encode(label: String, der: [UInt8]) -> String {
    PEMDocument(type: label, derBytes: der).pemString + "\n"
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
    return String(s)
  }
}
