import Foundation

/// Writes stubs the way esptool ≤ 4.1 stored them (arduino-integration.md §4): the Python `repr` of a dict,
/// zlib-compressed, base64-encoded, inside `<Class>.STUB_CODE = eval(zlib.decompress(base64.b64decode(b"""…""")))`
/// lines of an `esptool.py`. Tests build fake Arduino/PlatformIO installations from the pinned esptool's
/// JSON stubs with it; no stub binary is ever committed.
public enum PythonStubSource {
  /// One stub: the JSON fields, with `text`/`data` already decoded.
  public struct Stub {
    public var className: String
    public var text: [UInt8]
    public var textStart: Int
    public var entry: Int
    public var data: [UInt8]?
    public var dataStart: Int?
    public init(className: String, text: [UInt8], textStart: Int, entry: Int, data: [UInt8]?, dataStart: Int?) {
      (self.className, self.text, self.textStart, self.entry, self.data, self.dataStart) =
        (className, text, textStart, entry, data, dataStart)
    }

    /// From an esptool ≥ 4.2 stub JSON file.
    public init(className: String, jsonFile: String) throws {
      let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonFile))) as? [String: Any] ?? [:]
      func blob(_ key: String) -> [UInt8]? { (object[key] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } }
      self.init(className: className, text: blob("text") ?? [], textStart: object["text_start"] as? Int ?? 0,
                entry: object["entry"] as? Int ?? 0, data: blob("data"), dataStart: object["data_start"] as? Int)
    }
  }

  /// Python 3's `repr(bytes)`: b'…' with \t \n \r \\ \' and \xNN for the rest of the non-printables.
  public static func bytesRepr(_ bytes: [UInt8]) -> String {
    var out = "b'"
    for b in bytes {
      switch b {
      case 0x09: out += "\\t"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x5C: out += "\\\\"
      case 0x27: out += "\\'"
      case 0x20..<0x7F: out.append(Character(Unicode.Scalar(b)))
      default: out += String(format: "\\x%02x", b)
      }
    }
    return out + "'"
  }

  /// `repr()` of the stub dict, keys in the order esptool's wrap_stub.py wrote them.
  public static func dictRepr(_ stub: Stub) -> String {
    var parts = ["'entry': \(stub.entry)", "'text': \(bytesRepr(stub.text))", "'text_start': \(stub.textStart)"]
    if let data = stub.data, let start = stub.dataStart {
      parts += ["'data': \(bytesRepr(data))", "'data_start': \(start)"]
    }
    return "{" + parts.joined(separator: ", ") + "}"
  }

  /// An `esptool.py` holding `stubs`; `compress` is zlib (with header), e.g. ESPLoader's `Deflate.compress`.
  public static func esptoolPy(version: String, stubs: [Stub], compress: ([UInt8]) throws -> [UInt8]) rethrows -> String {
    var text = "#!/usr/bin/env python\n# A stand-in for esptool.py \(version), made by the tests.\n"
      + "__version__ = \"\(version)\"\n\nimport base64\nimport zlib\n\n"
      + "class ESPLoader(object):\n    pass\n\n"
    for stub in stubs {
      text += "class \(stub.className)(ESPLoader):\n    CHIP_NAME = \"\(stub.className)\"\n\n"
    }
    text += "# Binary stub code (see flasher_stub dir for source & details)\n"
    for stub in stubs {
      let packed = try compress(Array(dictRepr(stub).utf8)).base64EncodedString()
      var lines: [String] = []
      var rest = Substring(packed)
      while !rest.isEmpty { lines.append(String(rest.prefix(76))); rest = rest.dropFirst(76) }
      text += "\(stub.className).STUB_CODE = eval(zlib.decompress(base64.b64decode(b\"\"\"\n"
        + lines.joined(separator: "\n") + "\n\"\"\")))\n\n"
    }
    return text + "\ndef _main():\n    pass\n"
  }
}

extension Array where Element == UInt8 {
  fileprivate func base64EncodedString() -> String { Data(self).base64EncodedString() }
}
