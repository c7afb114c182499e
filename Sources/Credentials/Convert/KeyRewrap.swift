import Crypto
internal import SwiftASN1
import _CryptoExtras

/// Re-wraps private keys between PKCS#1 / SEC1 and PKCS#8 exactly as OpenSSL lays them out. RSA keys are
/// loaded and written by swift-crypto; EC keys are written with SwiftASN1's serializer (swift-crypto has no
/// SEC1 output), with the public point from swift-crypto for P-256/384/521 or the key's own `[1]` field.
enum KeyRewrap {
  struct Key { let der: [UInt8]; let label: String; let kind: String }

  static let ecPublicKey: ASN1ObjectIdentifier = "1.2.840.10045.2.1"

  static func normalize(_ der: [UInt8], name: String, pkcs8: Bool) throws(ConversionError) -> Key {
    guard let root = try? DER.parse(der), let items = ASN1Nodes.children(root), let version = ASN1Nodes.int(items.first) else {
      throw ConversionError.notACredential(file: name)
    }
    switch ParsedPrivateKey.read(der[...]) {
    case .corrupt?: throw ConversionError.corruptKey(file: name)
    case nil: throw ConversionError.notACredential(file: name)
    case .key?: break
    }
    if version == 0, items.count >= 9 { return try rsa(pkcs1: der, pkcs8: pkcs8, name: name) }
    if version == 1, items[1].identifier == .octetString { return try ec(sec1: items, curve: nil, name: name, pkcs8: pkcs8) }
    guard let algorithm = ASN1Nodes.children(items[1]), let oid = ASN1Nodes.oid(algorithm.first),
          let inner = ASN1Nodes.octets(items[2]) else { throw ConversionError.notACredential(file: name) }
    switch oid {
    case OID.rsaEncryption:
      return try rsa(pkcs1: Array(inner), pkcs8: pkcs8, name: name)
    case OID.ecPublicKey:
      guard let curve = algorithm.count > 1 ? try? ASN1ObjectIdentifier(derEncoded: algorithm[1]) : nil,
            let innerItems = (try? DER.parse(inner)).flatMap(ASN1Nodes.children) else {
        throw ConversionError.unsupported(file: name, what: "an EC key with explicit curve parameters")
      }
      return try ec(sec1: innerItems, curve: curve, name: name, pkcs8: pkcs8)
    default:
      // Ed25519, RSA-PSS and others only exist as PKCS#8; pass them through.
      return Key(der: der, label: "PRIVATE KEY", kind: "private key (PKCS#8, \(oid))")
    }
  }

  private static func rsa(pkcs1: [UInt8], pkcs8: Bool, name: String) throws(ConversionError) -> Key {
    guard let key = try? _RSA.Signing.PrivateKey(unsafeDERRepresentation: pkcs1) else { throw ConversionError.corruptKey(file: name) }
    if pkcs8 { return Key(der: Array(key.pkcs8DERRepresentation), label: "PRIVATE KEY", kind: "RSA private key (PKCS#8)") }
    return Key(der: Array(key.derRepresentation), label: "RSA PRIVATE KEY", kind: "RSA private key (PKCS#1)")
  }

  /// SEC1 per `openssl ec`: version 1, key, [0] named curve, [1] public point. PKCS#8 per `openssl pkcs8
  /// -topk8`: the curve in the AlgorithmIdentifier and an inner SEC1 key without [0].
  private static func ec(sec1 items: [ASN1Node], curve outer: ASN1ObjectIdentifier?, name: String, pkcs8: Bool) throws(ConversionError) -> Key {
    do {
      return try ecRewrap(sec1: items, curve: outer, name: name, pkcs8: pkcs8)
    } catch let error as ConversionError {
      throw error
    } catch {
      throw ConversionError.unsupported(file: name, what: "this EC key (\(error))")
    }
  }

  private static func ecRewrap(sec1 items: [ASN1Node], curve outer: ASN1ObjectIdentifier?, name: String, pkcs8: Bool) throws -> Key {
    guard let scalar = ASN1Nodes.octets(items[1]),
          let curve = try outer ?? ASN1Nodes.tagged(0, in: items).map({ try ASN1ObjectIdentifier(derEncoded: $0) }) else {
      throw ConversionError.unsupported(file: name, what: "an EC key without a named curve")
    }
    let point = try derivePoint(curve: NamedCurve.from(oid: curve.description), scalar: scalar, name: name)
      ?? ASN1Nodes.bits(ASN1Nodes.tagged(1, in: items)).map(Array.init)
    let named = NamedCurve.from(oid: curve.description)
    let kind = named == .other ? "EC" : "EC \(named.rawValue)"
    func sec1(withCurve: Bool) throws -> [UInt8] {
      var s = DER.Serializer()
      try s.appendConstructedNode(identifier: .sequence) { s in
        try s.serialize(1)
        try s.serialize(ASN1OctetString(contentBytes: scalar))
        if withCurve { try s.serialize(curve, explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) }
        if let point { try s.serialize(ASN1BitString(bytes: point[...]), explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific) }
      }
      return s.serializedBytes
    }
    guard pkcs8 else { return Key(der: try sec1(withCurve: true), label: "EC PRIVATE KEY", kind: "\(kind) private key (SEC1)") }
    var s = DER.Serializer()
    let inner = try sec1(withCurve: false)
    try s.appendConstructedNode(identifier: .sequence) { s in
      try s.serialize(0)
      try s.appendConstructedNode(identifier: .sequence) { s in
        try s.serialize(ecPublicKey)
        try s.serialize(curve)
      }
      try s.serialize(ASN1OctetString(contentBytes: inner[...]))
    }
    return Key(der: s.serializedBytes, label: "PRIVATE KEY", kind: "\(kind) private key (PKCS#8)")
  }

  private static func derivePoint(curve: NamedCurve, scalar: ArraySlice<UInt8>, name: String) throws(ConversionError) -> [UInt8]? {
    do {
      switch curve {
      case .p256: return Array(try P256.Signing.PrivateKey(rawRepresentation: scalar).publicKey.x963Representation)
      case .p384: return Array(try P384.Signing.PrivateKey(rawRepresentation: scalar).publicKey.x963Representation)
      case .p521: return Array(try P521.Signing.PrivateKey(rawRepresentation: scalar).publicKey.x963Representation)
      default: return nil
      }
    } catch {
      throw ConversionError.corruptKey(file: name)
    }
  }
}
