import Foundation

/// A size or address as users write it: `0x300000`, `3145728`, `1M`, `4MB`, `64K`, `64KiB`.
public struct ByteSize: Hashable, Sendable, CustomStringConvertible {
  public var value: Int

  public init(_ value: Int) { self.value = value }

  /// Parses hex (`0x`), decimal, and K/M/G suffixes (binary: 1K = 1024), with optional `B`/`iB`.
  public static func parse(_ text: String) -> Int? {
    var body = Substring(text.trimmingCharacters(in: .whitespaces))
    guard !body.isEmpty else { return nil }
    if body.lowercased().hasPrefix("0x") {
      let digits = body.dropFirst(2).filter { $0 != "_" }
      guard !digits.isEmpty, let v = Int(digits, radix: 16), v >= 0 else { return nil }
      return v
    }
    var multiplier = 1
    let lower = body.lowercased()
    for (suffix, factor) in [("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30),
                             ("kb", 1 << 10), ("mb", 1 << 20), ("gb", 1 << 30),
                             ("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30), ("b", 1)]
    where lower.hasSuffix(suffix) {
      multiplier = factor
      body = body.dropLast(suffix.count)
      break
    }
    guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(body) else { return nil }
    let (product, overflow) = v.multipliedReportingOverflow(by: multiplier)
    return overflow ? nil : product
  }

  public var description: String { Hex.address(value) }

  /// `0x300000`.
  public static func hex(_ value: Int) -> String { Hex.address(value) }

  /// `1.2 MiB`, `512 KiB`, `37 B` for people.
  public static func human(_ value: Int) -> String {
    let v = Double(value)
    if value >= 1 << 20 { return String(format: "%.2f MiB", v / Double(1 << 20)) }
    if value >= 1 << 10 { return String(format: "%.1f KiB", v / Double(1 << 10)) }
    return "\(value) B"
  }

  /// `4MB` for whole mebibytes, else `human`.
  public static func megabytes(_ bytes: Int) -> String {
    bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20)MB" : human(bytes)
  }
}
