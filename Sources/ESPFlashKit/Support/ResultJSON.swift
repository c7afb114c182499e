import Foundation

/// The one JSON spelling of every result: pretty, keys sorted (stable for scripts and diffs), slashes plain.
public enum ResultJSON {
  public static func encode(_ value: some Encodable) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return [UInt8](try encoder.encode(value)) + [UInt8(ascii: "\n")]
  }
}
