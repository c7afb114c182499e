/// Turns a SPIFFS name (raw bytes from a possibly hostile image) into a path below the extraction folder.
///
/// SPIFFS names are flat byte strings; `/` only looks like a separator. A crafted image can hold `/../x`,
/// `//etc/passwd`, control bytes or invalid UTF-8. Every name maps to components that stay inside the folder,
/// or is refused; anything changed on the way is reported.
public enum ExtractPaths {
  public enum Outcome: Equatable {
    /// Path components below the extraction folder, and what was changed to get there (empty when nothing).
    case safe(components: [String], changes: [String])
    /// Cannot be stored safely.
    case refused(reason: String)
  }

  public static func plan(_ name: [UInt8]) -> Outcome {
    var changes: [String] = []
    let parts = name.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    // A single leading "/" is how SPIFFS names start; other empty components are dropped and reported.
    let leading = parts.first?.isEmpty == true ? 1 : 0
    let nonEmpty = parts.filter { !$0.isEmpty }
    if parts.count - leading != nonEmpty.count { changes.append("empty path components removed") }
    if leading == 0 { changes.append("no leading /") }
    guard !nonEmpty.isEmpty else { return .refused(reason: "the name has no file name part") }
    var components: [String] = []
    for part in nonEmpty {
      let bytes = Array(part)
      if bytes == [UInt8(ascii: ".")] || bytes == [UInt8(ascii: "."), UInt8(ascii: ".")] {
        return .refused(reason: "the name contains a '\(String(decoding: bytes, as: UTF8.self))' component")
      }
      var cleaned: [UInt8] = []
      var replacedControl = false
      for byte in bytes {
        if byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\\") {
          cleaned.append(UInt8(ascii: "_"))
          replacedControl = true
        } else {
          cleaned.append(byte)
        }
      }
      if replacedControl { changes.append("control characters or backslashes replaced with _") }
      var text = String(decoding: cleaned, as: UTF8.self)
      if Array(text.utf8) != cleaned {
        text = text.replacingReplacementCharacters()
        changes.append("invalid UTF-8 replaced with _")
      }
      components.append(text)
    }
    return .safe(components: components, changes: changes)
  }
}

extension String {
  fileprivate func replacingReplacementCharacters() -> String {
    String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{FFFD}" ? "_" : $0 }))
  }
}
