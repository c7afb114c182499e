internal import SwiftASN1

/// The small diagnostic layer over SwiftASN1: where files are concatenated DER objects or structures the
/// libraries refuse, this names what is there. Parsing itself is SwiftASN1's (bounded depth, strict DER).
enum ASN1Nodes {
  /// The length of the DER object at the start of `bytes` (identifier + length + content), read from its
  /// header only, or nil if the header is not DER. Needed to split `cat a.der b.der` files and to measure
  /// trailing bytes, which `DER.parse` (one object, nothing after it) rejects as a whole.
  static func objectLength(_ bytes: ArraySlice<UInt8>) -> Int? {
    var i = bytes.startIndex
    guard bytes.count >= 2, bytes[i] & 0x1F != 0x1F else { return nil }  // high tag numbers: not X.509/PKCS
    i += 1
    let first = bytes[i]
    i += 1
    guard first & 0x80 != 0 else { return 2 + Int(first) }
    let count = Int(first & 0x7F)
    guard (1...4).contains(count), bytes.endIndex - i >= count else { return nil }  // 0x80 = indefinite: BER only
    let length = bytes[i..<(i + count)].reduce(0) { $0 << 8 | Int($1) }
    return 2 + count + length
  }

  /// Consecutive DER objects from the start of `bytes`, and how many bytes follow the last complete one.
  static func split(_ bytes: [UInt8]) -> (objects: [ASN1Node], trailing: Int) {
    var objects: [ASN1Node] = []
    var rest = bytes[...]
    while let length = objectLength(rest), length <= rest.count,
          let node = try? DER.parse(rest.prefix(length)) {
      objects.append(node)
      rest = rest.dropFirst(length)
    }
    return (objects, rest.count)
  }

  static func children(_ node: ASN1Node) -> [ASN1Node]? {
    if case .constructed(let items) = node.content { return Array(items) }
    return nil
  }

  static func oid(_ node: ASN1Node?) -> String? {
    guard let node, let oid = try? ASN1ObjectIdentifier(derEncoded: node) else { return nil }
    return oid.description
  }

  static func int(_ node: ASN1Node?) -> Int? {
    guard let node else { return nil }
    return try? Int(derEncoded: node)
  }

  static func isSequence(_ node: ASN1Node?) -> Bool { node?.identifier == .sequence }

  static func octets(_ node: ASN1Node?) -> ArraySlice<UInt8>? {
    guard let node else { return nil }
    return (try? ASN1OctetString(derEncoded: node))?.bytes
  }

  static func bits(_ node: ASN1Node?) -> ArraySlice<UInt8>? {
    guard let node else { return nil }
    return (try? ASN1BitString(derEncoded: node))?.bytes
  }

  /// `[n]` context-specific, constructed (EXPLICIT) — the SEC1 `[0]` curve and `[1]` public key.
  static func tagged(_ n: UInt, in items: [ASN1Node]) -> ASN1Node? {
    let tag = ASN1Identifier(tagWithNumber: n, tagClass: .contextSpecific)
    return items.first { $0.identifier == tag }.flatMap { children($0)?.first }
  }
}

enum Hex {
  static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }
}
