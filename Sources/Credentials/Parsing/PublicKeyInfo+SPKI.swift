import Crypto
internal import SwiftASN1
import _CryptoExtras

extension PublicKeyInfo {
  struct Unreadable: Error, CustomStringConvertible { let description: String }

  /// A SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), decoded with SwiftASN1. Keys swift-crypto implements are
  /// also loaded by it (which rejects off-curve points and malformed RSA numbers); the others (secp256k1,
  /// brainpool, RSA under 1024 bits) are described from their encoding, because naming them is the point.
  init(spki bytes: ArraySlice<UInt8>) throws {
    let root = try DER.parse(bytes)
    guard let parts = ASN1Nodes.children(root), parts.count == 2, let algorithm = ASN1Nodes.children(parts[0]),
          let oid = ASN1Nodes.oid(algorithm.first), let key = ASN1Nodes.bits(parts[1])
    else { throw Unreadable(description: "not a SubjectPublicKeyInfo") }
    switch oid {
    case OID.rsaEncryption, OID.rsassaPSS:
      let (modulus, exponent) = try Self.rsaNumbers(key)
      let bits = Self.bitLength(modulus)
      if bits >= 1024 { _ = try _RSA.Signing.PublicKey(unsafeDERRepresentation: Array(key)) }
      self = oid == OID.rsassaPSS ? .rsaPSS(bits: bits, modulus: modulus) : .rsa(bits: bits, modulus: modulus, exponent: exponent)
    case OID.ecPublicKey:
      guard let curveOID = ASN1Nodes.oid(algorithm.count > 1 ? algorithm[1] : nil) else {
        self = .other(algorithmOID: oid + " (explicit curve parameters)")
        return
      }
      let curve = NamedCurve.from(oid: curveOID)
      switch curve {
      case .p256: _ = try P256.Signing.PublicKey(x963Representation: key)
      case .p384: _ = try P384.Signing.PublicKey(x963Representation: key)
      case .p521: _ = try P521.Signing.PublicKey(x963Representation: key)
      default: break
      }
      self = .ec(curve: curve, curveOID: curveOID, point: Array(key))
    case OID.ed25519:
      self = .ed25519(key: Array(try Curve25519.Signing.PublicKey(rawRepresentation: key).rawRepresentation))
    default:
      self = .other(algorithmOID: oid)
    }
  }

  /// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1).
  static func rsaNumbers(_ bytes: ArraySlice<UInt8>) throws -> (modulus: [UInt8], exponent: [UInt8]) {
    try DER.sequence(try DER.parse(bytes), identifier: .sequence) { nodes in
      let n = try ArraySlice<UInt8>(derEncoded: &nodes)
      let e = try ArraySlice<UInt8>(derEncoded: &nodes)
      return (Array(n.drop { $0 == 0 }), Array(e.drop { $0 == 0 }))
    }
  }

  static func bitLength(_ magnitude: [UInt8]) -> Int {
    guard let first = magnitude.first else { return 0 }
    return (magnitude.count - 1) * 8 + (8 - first.leadingZeroBitCount)
  }
}
