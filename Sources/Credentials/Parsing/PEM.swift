/// PEM text (RFC 7468), tolerant the way OpenSSL and BearSSL are: CRLF or LF, text before and between blocks,
/// RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`) inside a block.
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

enum PEM {
  /// True when the bytes contain a PEM BEGIN line: a text file for BearSSL's PEM decoder.
  static func looksLikePEM(_ bytes: [UInt8]) -> Bool {
    let marker = Array("-----BEGIN ".utf8)
    guard bytes.count >= marker.count else { return false }
    // Scan the first 64 KB only: credential files are small, and the check must stay bounded.
    let limit = min(bytes.count, 65_536) - marker.count
    var i = 0
    while i <= limit {
      if bytes[i] == 0x2D, Array(bytes[i..<(i + marker.count)]) == marker { return true }
      i += 1
    }
    return false
  }

  static func parse(_ bytes: [UInt8]) -> (blocks: [PEMBlock], problems: [PEMProblem]) {
    let lines = PEM.lines(bytes)
    var blocks: [PEMBlock] = []
    var problems: [PEMProblem] = []
    var i = 0
    while i < lines.count {
      let line = lines[i].trimmingSpaces
      guard let label = boundaryLabel(line, kind: "BEGIN") else { i += 1; continue }
      let beginLine = i + 1
      var headers: [(String, String)] = []
      var body = ""
      var j = i + 1
      var ended = false
      var inHeaders = true
      while j < lines.count {
        let current = lines[j].trimmingSpaces
        if let endLabel = boundaryLabel(current, kind: "END") {
          if endLabel != label { problems.append(.mismatchedEnd(begin: label, end: endLabel, line: j + 1)) }
          ended = true
          break
        }
        if boundaryLabel(current, kind: "BEGIN") != nil { break }
        if inHeaders, let colon = current.firstIndex(of: ":") {
          headers.append((String(current[..<colon]).trimmingSpaces, String(current[current.index(after: colon)...]).trimmingSpaces))
        } else if !current.isEmpty {
          inHeaders = false
          body += current
        }
        j += 1
      }
      if !ended {
        problems.append(.missingEnd(label: label, line: beginLine))
        i = j
        continue
      }
      if let der = Base64.decode(body) {
        blocks.append(PEMBlock(label: label, headers: headers, der: der, line: beginLine))
      } else {
        problems.append(.badBase64(label: label, line: beginLine))
      }
      i = j + 1
    }
    return (blocks, problems)
  }

  /// Lines split on LF bytes with a trailing CR removed. (Splitting a Swift String on "\n" would not split
  /// CRLF: "\r\n" is one Character.)
  static func lines(_ bytes: [UInt8]) -> [String] {
    bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
      String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
    }
  }

  /// `-----BEGIN X-----` → "X".
  private static func boundaryLabel(_ line: String, kind: String) -> String? {
    let prefix = "-----\(kind) "
    guard line.hasPrefix(prefix), line.hasSuffix("-----"), line.count >= prefix.count + 5 else { return nil }
    return String(line.dropFirst(prefix.count).dropLast(5))
  }

  /// PEM text as OpenSSL writes it: 64 base64 characters per line, LF line ends, trailing newline.
  static func encode(label: String, der: [UInt8]) -> String {
    let body = Base64.encode(der)
    var out = "-----BEGIN \(label)-----\n"
    var index = body.startIndex
    while index < body.endIndex {
      let next = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
      out += body[index..<next] + "\n"
      index = next
    }
    out += "-----END \(label)-----\n"
    return out
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

/// RFC 4648 base64 without Foundation (the library is Foundation-free where it can be).
enum Base64 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 3 <= bytes.count {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
      i += 3
    }
    let rest = bytes.count - i
    if rest == 1 {
      let n = UInt32(bytes[i]) << 16
      out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], 0x3D, 0x3D]
    } else if rest == 2 {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
      out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], 0x3D]
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes base64, ignoring whitespace; nil on any other character or bad padding.
  static func decode(_ text: String) -> [UInt8]? {
    var values: [UInt8] = []
    var padding = 0
    for c in text.utf8 {
      switch c {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): guard padding == 0 else { return nil }; values.append(c - 65)
      case UInt8(ascii: "a")...UInt8(ascii: "z"): guard padding == 0 else { return nil }; values.append(c - 71)
      case UInt8(ascii: "0")...UInt8(ascii: "9"): guard padding == 0 else { return nil }; values.append(c + 4)
      case UInt8(ascii: "+"): guard padding == 0 else { return nil }; values.append(62)
      case UInt8(ascii: "/"): guard padding == 0 else { return nil }; values.append(63)
      case UInt8(ascii: "="): padding += 1
      case 0x20, 0x09, 0x0D, 0x0A: continue
      default: return nil
      }
    }
    guard padding <= 2, (values.count + padding) % 4 == 0, !(padding > 0 && values.isEmpty) else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(values.count * 3 / 4)
    var i = 0
    while i + 4 <= values.count {
      out += [values[i] << 2 | values[i + 1] >> 4, values[i + 1] << 4 | values[i + 2] >> 2, values[i + 2] << 6 | values[i + 3]]
      i += 4
    }
    let rest = values.count - i
    if rest == 2 {
      out.append(values[i] << 2 | values[i + 1] >> 4)
    } else if rest == 3 {
      out += [values[i] << 2 | values[i + 1] >> 4, values[i + 1] << 4 | values[i + 2] >> 2]
    } else if rest == 1 {
      return nil
    }
    return out
  }
}
