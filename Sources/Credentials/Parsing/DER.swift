/// A minimal, bounds-checked DER reader. Credential files are untrusted input: every read is checked, nothing
/// traps, and nesting depth is capped. Only the low-tag-number form and definite lengths exist in DER
/// (X.690 §8.1.2, §10.1), so anything else is rejected as "not DER".
struct DERNode: Sendable {
  /// The identifier octet (class, constructed bit and tag number ≤ 30).
  let tag: UInt8
  /// The whole TLV, identifier to end of content.
  let encoded: ArraySlice<UInt8>
  /// The content octets.
  let content: ArraySlice<UInt8>

  var isConstructed: Bool { tag & 0x20 != 0 }

  /// The children of a constructed node; nil if the content is not a clean sequence of TLVs.
  func children(depth: Int = 0) -> [DERNode]? {
    guard isConstructed, depth < DER.maxDepth else { return nil }
    return DER.readAll(content)
  }
}

enum DER {
  static let maxDepth = 32

  enum Tag {
    static let boolean: UInt8 = 0x01
    static let integer: UInt8 = 0x02
    static let bitString: UInt8 = 0x03
    static let octetString: UInt8 = 0x04
    static let null: UInt8 = 0x05
    static let oid: UInt8 = 0x06
    static let utf8String: UInt8 = 0x0C
    static let printableString: UInt8 = 0x13
    static let t61String: UInt8 = 0x14
    static let ia5String: UInt8 = 0x16
    static let utcTime: UInt8 = 0x17
    static let generalizedTime: UInt8 = 0x18
    static let bmpString: UInt8 = 0x1E
    static let sequence: UInt8 = 0x30
    static let set: UInt8 = 0x31
    /// Context-specific, constructed `[n]`.
    static func context(_ n: UInt8) -> UInt8 { 0xA0 | n }
  }

  /// Reads one TLV starting at `bytes.startIndex`; nil if it is not well-formed DER or runs past the end.
  static func read(_ bytes: ArraySlice<UInt8>) -> DERNode? {
    var i = bytes.startIndex
    guard i < bytes.endIndex else { return nil }
    let tag = bytes[i]
    guard tag & 0x1F != 0x1F else { return nil }  // high-tag-number form: never used by X.509/PKCS
    i += 1
    guard i < bytes.endIndex else { return nil }
    let first = bytes[i]
    i += 1
    var length = 0
    if first < 0x80 {
      length = Int(first)
    } else {
      let count = Int(first & 0x7F)
      guard count >= 1, count <= 4 else { return nil }  // 0x80 = indefinite (BER only)
      for _ in 0..<count {
        guard i < bytes.endIndex else { return nil }
        length = (length << 8) | Int(bytes[i])
        i += 1
      }
      // DER uses the shortest length form (X.690 §10.1).
      if length < 0x80 || (count > 1 && length < (1 << (8 * (count - 1)))) { return nil }
    }
    guard length <= bytes.endIndex - i else { return nil }
    let end = i + length
    return DERNode(tag: tag, encoded: bytes[bytes.startIndex..<end], content: bytes[i..<end])
  }

  /// Reads consecutive TLVs that exactly fill `bytes`; nil if anything is left over or malformed.
  static func readAll(_ bytes: ArraySlice<UInt8>) -> [DERNode]? {
    var nodes: [DERNode] = []
    var rest = bytes
    while !rest.isEmpty {
      guard let node = read(rest) else { return nil }
      nodes.append(node)
      rest = rest[node.encoded.endIndex...]
    }
    return nodes
  }

  /// Reads leading TLVs until the first byte that does not start one; returns them and the unread tail.
  static func readPrefix(_ bytes: ArraySlice<UInt8>) -> (nodes: [DERNode], rest: ArraySlice<UInt8>) {
    var nodes: [DERNode] = []
    var rest = bytes
    while !rest.isEmpty, let node = read(rest) {
      nodes.append(node)
      rest = rest[node.encoded.endIndex...]
    }
    return (nodes, rest)
  }

  /// The dotted form of an OBJECT IDENTIFIER's content octets, or nil if malformed.
  static func oidString(_ content: ArraySlice<UInt8>) -> String? {
    guard !content.isEmpty else { return nil }
    var arcs: [UInt64] = []
    var value: UInt64 = 0
    var inArc = false
    for byte in content {
      guard value <= (UInt64.max >> 7) else { return nil }
      value = (value << 7) | UInt64(byte & 0x7F)
      inArc = byte & 0x80 != 0
      if !inArc {
        arcs.append(value)
        value = 0
      }
    }
    guard !inArc, let first = arcs.first else { return nil }
    let head: [UInt64] = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
    return (head + arcs.dropFirst()).map(String.init).joined(separator: ".")
  }

  /// An unsigned big-endian INTEGER's magnitude without sign-padding zeros.
  static func unsignedMagnitude(_ content: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var slice = content
    while slice.count > 1, slice.first == 0 { slice = slice.dropFirst() }
    return slice
  }

  /// Bit length of an unsigned INTEGER (e.g. an RSA modulus).
  static func bitLength(_ content: ArraySlice<UInt8>) -> Int {
    let magnitude = unsignedMagnitude(content)
    guard let first = magnitude.first, first != 0 else { return 0 }
    return (magnitude.count - 1) * 8 + (8 - first.leadingZeroBitCount)
  }

  /// Small non-negative INTEGER value (versions), nil if too large or negative.
  static func smallInt(_ node: DERNode) -> Int? {
    guard node.tag == Tag.integer, !node.content.isEmpty, node.content.count <= 4,
          let first = node.content.first, first & 0x80 == 0 else { return nil }
    return node.content.reduce(0) { ($0 << 8) | Int($1) }
  }

  // MARK: writing (for conversions that must re-wrap keys exactly like openssl)

  static func encodeLength(_ length: Int) -> [UInt8] {
    if length < 0x80 { return [UInt8(length)] }
    var bytes: [UInt8] = []
    var n = length
    while n > 0 { bytes.insert(UInt8(n & 0xFF), at: 0); n >>= 8 }
    return [0x80 | UInt8(bytes.count)] + bytes
  }

  static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
    [tag] + encodeLength(content.count) + content
  }
}
