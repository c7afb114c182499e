/// Every hexadecimal spelling the tools print, in one place.
public enum Hex {
  /// `0x300000`: addresses and sizes for people (upper-case digits, as esptool prints them).
  public static func address(_ value: some BinaryInteger) -> String {
    "0x" + String(value, radix: 16, uppercase: true)
  }

  /// `0x300000`: addresses in JSON (lower-case digits, stable for scripts).
  public static func json(_ value: some BinaryInteger) -> String { "0x" + String(value, radix: 16) }

  /// `0x0001`: a zero-padded value of `digits` digits.
  public static func padded(_ value: some BinaryInteger, digits: Int) -> String {
    let text = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
  }

  /// `0a1b…`: bytes as lower-case pairs (MD5 and SHA-256 digests, raw names).
  public static func bytes(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
