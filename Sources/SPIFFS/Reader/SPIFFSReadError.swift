/// Why an image could not be read. Every case carries the numbers a user needs to act on it.
public enum SPIFFSReadError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The layout itself is impossible (SPIFFS would refuse to mount with it).
  case invalidLayout(LayoutError)
  /// The image holds fewer bytes than the layout's blocks need.
  case truncated(imageBytes: Int, neededBytes: Int, layout: SPIFFSLayout)
  /// Two or more blocks lack the magic: what SPIFFS reports as `SPIFFS_ERR_NOT_A_FS` (-10025), §1.2.
  case notAFileSystem(badBlocks: [Int], blockCount: Int, layout: SPIFFSLayout)
  /// No file of that name is in the image.
  case fileNotFound(name: [UInt8])
  /// A file's size or page chain is inconsistent; `page` is the page index involved, if any.
  case corruptFile(name: [UInt8], objectID: UInt16, span: Int, page: Int?, reason: String)
  /// Autodetection found several layouts under which the image mounts.
  case ambiguousLayout(imageBytes: Int, candidates: [LayoutCandidate])
  /// Autodetection found no layout under which the image mounts.
  case noLayoutMatches(imageBytes: Int, tried: [LayoutCandidate])

  public var description: String {
    switch self {
    case .invalidLayout(let error):
      return error.description
    case .truncated(let have, let need, let layout):
      return "image is \(have) bytes but the layout (\(layout)) needs \(need) bytes for its \(layout.blockCount) blocks"
    case .notAFileSystem(let bad, let count, let layout):
      let shown = bad.prefix(8).map(String.init).joined(separator: ", ") + (bad.count > 8 ? ", …" : "")
      return "not a SPIFFS file system for layout \(layout): \(bad.count) of \(count) blocks have no magic "
        + "(blocks \(shown)); SPIFFS tolerates one"
    case .fileNotFound(let name):
      return "no file named \(SPIFFSName.display(name)) in the image"
    case .corruptFile(let name, let id, let span, let page, let reason):
      let at = page.map { ", page \($0)" } ?? ""
      return "file \(SPIFFSName.display(name)) (object id \(SPIFFSName.hexID(id))) is corrupt at data span \(span)\(at): \(reason)"
    case .ambiguousLayout(let bytes, let candidates):
      let list = candidates.map { $0.layout.description }.joined(separator: "; ")
      return "a \(bytes)-byte image mounts under several layouts: \(list)"
    case .noLayoutMatches(let bytes, let tried):
      let best = tried.max { $0.matchingBlocks * 1000 / max(1, $0.layout.blockCount)
        < $1.matchingBlocks * 1000 / max(1, $1.layout.blockCount) }
      let bestText = best.map { "; best: \($0.layout) with \($0.matchingBlocks)/\($0.layout.blockCount) blocks" } ?? ""
      return "no SPIFFS layout matches this \(bytes)-byte image (tried \(tried.count))\(bestText)"
    }
  }
}

/// Helpers for showing raw SPIFFS names and ids.
public enum SPIFFSName {
  /// The name as text in quotes; bytes that are not printable UTF-8 are shown as `\xNN`.
  public static func display(_ bytes: [UInt8]) -> String {
    "\"" + escaped(bytes) + "\""
  }

  /// Printable UTF-8 kept, control bytes and invalid sequences as `\xNN`.
  public static func escaped(_ bytes: [UInt8]) -> String {
    // Plain printable ASCII, by far the common case, needs no per-sequence work.
    if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(decoding: bytes, as: UTF8.self) }
    var out = ""
    // Decode sequence by sequence; an invalid byte is shown as hex and skipped.
    var index = 0
    while index < bytes.count {
      let length = utf8SequenceLength(bytes, at: index)
      if length > 0 {
        let slice = Array(bytes[index..<index + length])
        let text = String(decoding: slice, as: UTF8.self)
        if let scalar = text.unicodeScalars.first, scalar.value >= 0x20, scalar.value != 0x7F {
          out += text
        } else {
          out += slice.map(hex).joined()
        }
        index += length
      } else {
        out += hex(bytes[index])
        index += 1
      }
    }
    return out
  }

  static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
  }

  /// Length of the valid UTF-8 sequence starting at `index`, or 0 if none.
  static func utf8SequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
    let lead = bytes[index]
    let length: Int
    switch lead {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return 0
    }
    guard index + length <= bytes.count else { return 0 }
    for i in 1..<length where bytes[index + i] & 0xC0 != 0x80 { return 0 }
    // Reject overlong and surrogate forms by round-tripping through the standard decoder.
    let slice = Array(bytes[index..<index + length])
    let text = String(decoding: slice, as: UTF8.self)
    return Array(text.utf8) == slice ? length : 0
  }

  /// `0x002a`.
  public static func hexID(_ id: UInt16) -> String {
    let digits = String(id, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
