import ESPLoader
import Foundation

/// esptool ≤ 4.1 keeps its stubs inside Python source (arduino-integration.md §4: the ESP8266 Arduino core's
/// bundled esptool 3.0, PlatformIO's tool-esptoolpy 1.30000, esptool 2.x): one line per chip class,
/// `ESP8266ROM.STUB_CODE = eval(zlib.decompress(base64.b64decode(b"""…""")))`. Decoded, the text is the
/// Python `repr` of a dict with `text`/`data` bytes and `text_start`/`entry`/`data_start` integers.
/// It is read as a literal here — never executed.
public enum PythonStubLiteral {
  /// esptool class names → chip. Beta-silicon classes (ESP32S3BETA2ROM, ESP32C6BETAROM, …) are skipped.
  static let classes: [String: Chip] = [
    "ESP8266ROM": .esp8266, "ESP32ROM": .esp32, "ESP32S2ROM": .esp32s2, "ESP32S3ROM": .esp32s3,
    "ESP32C2ROM": .esp32c2, "ESP32C3ROM": .esp32c3, "ESP32C6ROM": .esp32c6, "ESP32H2ROM": .esp32h2,
  ]

  /// Every chip whose `STUB_CODE` assignment the source holds, with the start of its base64 text.
  public static func chips(inSource source: String) -> [Chip: Range<String.Index>] {
    var found: [Chip: Range<String.Index>] = [:]
    var searchStart = source.startIndex
    let marker = ".STUB_CODE = eval(zlib.decompress(base64.b64decode("
    while let hit = source.range(of: marker, range: searchStart..<source.endIndex) {
      searchStart = hit.upperBound
      let lineStart = source[..<hit.lowerBound].lastIndex(of: "\n").map { source.index(after: $0) } ?? source.startIndex
      let className = source[lineStart..<hit.lowerBound].trimmingCharacters(in: .whitespaces)
      guard let chip = classes[className] else { continue }
      var bodyStart = hit.upperBound
      if source[bodyStart...].hasPrefix("b") { bodyStart = source.index(after: bodyStart) }
      guard source[bodyStart...].hasPrefix("\"\"\"") else { continue }
      bodyStart = source.index(bodyStart, offsetBy: 3)
      guard let end = source.range(of: "\"\"\"", range: bodyStart..<source.endIndex) else { continue }
      found[chip] = bodyStart..<end.lowerBound
      searchStart = end.upperBound
    }
    return found
  }

  /// The stub of `chip` from Python source such as `esptool.py`.
  public static func stub(chip: Chip, source: String, path: String) throws(LoaderError) -> StubImage {
    guard let range = chips(inSource: source)[chip] else {
      throw .badStub(path: path, reason: "no \(chip) STUB_CODE in this file")
    }
    let base64 = source[range].filter { !$0.isWhitespace }
    guard let packed = Data(base64Encoded: String(base64)) else {
      throw .badStub(path: path, reason: "the \(chip) STUB_CODE is not base64")
    }
    guard let text = Deflate.decompress([UInt8](packed), limit: 1 << 20) else {
      throw .badStub(path: path, reason: "the \(chip) STUB_CODE does not inflate (zlib)")
    }
    let dict: [String: PyValue]
    do {
      var parser = PyLiteralParser(bytes: text)
      dict = try parser.dictionary()
    } catch {
      throw .badStub(path: path, reason: "the \(chip) STUB_CODE is not a dict literal: \(error.reason)")
    }
    func number(_ key: String) -> UInt32? {
      if case .int(let v) = dict[key] { return UInt32(exactly: v) }
      return nil
    }
    func bytes(_ key: String) -> [UInt8]? {
      if case .bytes(let v) = dict[key] { return v }
      return nil
    }
    guard let code = bytes("text"), !code.isEmpty else { throw .badStub(path: path, reason: "no 'text' bytes") }
    guard let textStart = number("text_start") else { throw .badStub(path: path, reason: "no 'text_start'") }
    guard let entry = number("entry") else { throw .badStub(path: path, reason: "no 'entry'") }
    let data = bytes("data") ?? []
    return StubImage(text: code, textStart: textStart, data: data, dataStart: number("data_start") ?? 0,
                     entry: entry, source: "\(path) (\(chip) STUB_CODE)")
  }
}

enum PyValue: Equatable {
  case int(Int64)
  case bytes([UInt8])
}

struct PyLiteralError: Error { var reason: String }

/// The subset of Python literal syntax `repr()` of such a dict produces: `{'key': value, …}` with string keys,
/// decimal/hex integers (a Python 2 `L` suffix tolerated) and `b'…'`/`'…'` byte strings with `\x`, `\n`,
/// `\r`, `\t`, `\\`, `\'`, `\"` and octal escapes.
struct PyLiteralParser {
  var bytes: [UInt8]
  var at = 0

  mutating func dictionary() throws(PyLiteralError) -> [String: PyValue] {
    skipSpace()
    try expect(UInt8(ascii: "{"))
    var result: [String: PyValue] = [:]
    while true {
      skipSpace()
      if peek() == UInt8(ascii: "}") { at += 1; return result }
      let key = String(decoding: try stringLiteral(), as: UTF8.self)
      skipSpace()
      try expect(UInt8(ascii: ":"))
      skipSpace()
      result[key] = try value()
      skipSpace()
      if peek() == UInt8(ascii: ",") { at += 1 }
    }
  }

  mutating func value() throws(PyLiteralError) -> PyValue {
    guard let c = peek() else { throw PyLiteralError(reason: "unexpected end") }
    if c == UInt8(ascii: "b") || c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") { return .bytes(try stringLiteral()) }
    var digits = ""
    while let d = peek(), (d >= 0x30 && d <= 0x39) || d == UInt8(ascii: "x") || d == UInt8(ascii: "-")
      || (d >= UInt8(ascii: "a") && d <= UInt8(ascii: "f")) || (d >= UInt8(ascii: "A") && d <= UInt8(ascii: "F")) {
      digits.append(Character(Unicode.Scalar(d)))
      at += 1
    }
    if peek() == UInt8(ascii: "L") { at += 1 }
    let parsed = digits.hasPrefix("0x") ? Int64(digits.dropFirst(2), radix: 16) : Int64(digits)
    guard let parsed else { throw PyLiteralError(reason: "bad number '\(digits)' at \(at)") }
    return .int(parsed)
  }

  mutating func stringLiteral() throws(PyLiteralError) -> [UInt8] {
    if peek() == UInt8(ascii: "b") { at += 1 }
    guard let quote = peek(), quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
      throw PyLiteralError(reason: "expected a string at \(at)")
    }
    at += 1
    var out: [UInt8] = []
    while true {
      guard let c = peek() else { throw PyLiteralError(reason: "unterminated string") }
      at += 1
      if c == quote { return out }
      guard c == UInt8(ascii: "\\") else { out.append(c); continue }
      guard let e = peek() else { throw PyLiteralError(reason: "unterminated escape") }
      at += 1
      switch e {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "x"):
        guard at + 2 <= bytes.count, let v = UInt8(String(decoding: bytes[at..<at + 2], as: UTF8.self), radix: 16) else {
          throw PyLiteralError(reason: "bad \\x escape at \(at)")
        }
        out.append(v)
        at += 2
      case UInt8(ascii: "0")...UInt8(ascii: "7"):
        var value = Int(e - 0x30)
        var n = 1
        while n < 3, let d = peek(), d >= 0x30, d <= 0x37 { value = value * 8 + Int(d - 0x30); at += 1; n += 1 }
        out.append(UInt8(truncatingIfNeeded: value))
      default: out.append(e)  // \\, \', \"
      }
    }
  }

  func peek() -> UInt8? { at < bytes.count ? bytes[at] : nil }

  mutating func skipSpace() {
    while let c = peek(), c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { at += 1 }
  }

  mutating func expect(_ c: UInt8) throws(PyLiteralError) {
    guard peek() == c else { throw PyLiteralError(reason: "expected '\(Character(Unicode.Scalar(c)))' at \(at)") }
    at += 1
  }
}
