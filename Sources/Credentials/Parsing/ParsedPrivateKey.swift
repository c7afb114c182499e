import Crypto

/// How a private key is wrapped. The board's loaders care: BearSSL reads PKCS#1, SEC1 and PKCS#8 (PEM or DER),
/// mbedTLS reads them all unencrypted, nobody on the board decrypts.
public enum PrivateKeyFormat: String, Sendable, Codable {
  case pkcs1 = "PKCS#1"
  case sec1 = "SEC1"
  case pkcs8 = "PKCS#8"
}

/// A private key's public half and wrapping. Deliberately keeps no private material after parsing, so nothing
/// that prints or logs a parsed key can leak it.
public struct ParsedPrivateKey: Sendable {
  public let format: PrivateKeyFormat
  /// nil when it cannot be derived (e.g. an EC key on an unsupported curve without its [1] public key).
  public let publicKey: PublicKeyInfo?
  /// What kind of key, e.g. "RSA-2048", "EC P-256".
  public let summary: String

  /// Reads PKCS#1 RSAPrivateKey, SEC1 ECPrivateKey or PKCS#8 PrivateKeyInfo (RFC 8017 A.1.2, RFC 5915,
  /// RFC 5958).
  public init?(der bytes: ArraySlice<UInt8>) {
    guard let root = DER.read(bytes), root.encoded.count == bytes.count, root.tag == DER.Tag.sequence,
          let items = root.children(), let version = items.first.flatMap(DER.smallInt) else { return nil }
    if version == 0, items.count >= 9, items[1...8].allSatisfy({ $0.tag == DER.Tag.integer }) {
      guard let key = Self.rsaPublic(items) else { return nil }
      self.init(format: .pkcs1, publicKey: key)
    } else if version == 1, items.count >= 2, items[1].tag == DER.Tag.octetString {
      guard let key = Self.ecPublic(sec1: items, curveOID: nil) else { return nil }
      self.init(format: .sec1, publicKey: key.publicKey, fallback: key.summary)
    } else if version <= 1, items.count >= 3, items[1].tag == DER.Tag.sequence, items[2].tag == DER.Tag.octetString,
              let algorithm = items[1].children(), let oidNode = algorithm.first, oidNode.tag == DER.Tag.oid,
              let oid = DER.oidString(oidNode.content) {
      switch oid {
      case OID.rsaEncryption, OID.rsassaPSS:
        guard let inner = DER.read(items[2].content)?.children(), let key = Self.rsaPublic(inner) else { return nil }
        self.init(format: .pkcs8, publicKey: key)
      case OID.ecPublicKey:
        let curve = algorithm.count > 1 && algorithm[1].tag == DER.Tag.oid ? DER.oidString(algorithm[1].content) : nil
        guard let inner = DER.read(items[2].content)?.children(),
              let key = Self.ecPublic(sec1: inner, curveOID: curve) else { return nil }
        self.init(format: .pkcs8, publicKey: key.publicKey, fallback: key.summary)
      case OID.ed25519:
        guard let seed = DER.read(items[2].content), seed.tag == DER.Tag.octetString, seed.content.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed.content) else { return nil }
        self.init(format: .pkcs8, publicKey: .ed25519(key: Array(key.publicKey.rawRepresentation)))
      default:
        self.init(format: .pkcs8, publicKey: .other(algorithmOID: oid))
      }
    } else {
      return nil
    }
  }

  private init(format: PrivateKeyFormat, publicKey: PublicKeyInfo?, fallback: String = "private key") {
    self.format = format
    self.publicKey = publicKey
    self.summary = publicKey?.summary ?? fallback
  }

  private static func rsaPublic(_ items: [DERNode]) -> PublicKeyInfo? {
    guard items.count >= 9, items[1].tag == DER.Tag.integer, items[2].tag == DER.Tag.integer else { return nil }
    return .rsa(bits: DER.bitLength(items[1].content), modulus: Array(DER.unsignedMagnitude(items[1].content)),
                exponent: Array(DER.unsignedMagnitude(items[2].content)))
  }

  /// The public point comes from the `[1]` field when present (OpenSSL always writes it); otherwise it is
  /// derived from the scalar for the curves swift-crypto implements.
  private static func ecPublic(sec1 items: [DERNode], curveOID outer: String?) -> (publicKey: PublicKeyInfo?, summary: String)? {
    guard items.count >= 2, items[1].tag == DER.Tag.octetString else { return nil }
    let params = items.first { $0.tag == DER.Tag.context(0) }.flatMap { DER.read($0.content) }
    let curveOID = outer ?? params.flatMap { $0.tag == DER.Tag.oid ? DER.oidString($0.content) : nil }
    guard let curveOID else { return (nil, "EC key (curve not named)") }
    let curve = NamedCurve.from(oid: curveOID)
    let summary = curve == .other ? "EC curve \(curveOID)" : "EC \(curve.rawValue)"
    if let bits = items.first(where: { $0.tag == DER.Tag.context(1) }).flatMap({ DER.read($0.content) }),
       bits.tag == DER.Tag.bitString, bits.content.first == 0 {
      return (.ec(curve: curve, curveOID: curveOID, point: Array(bits.content.dropFirst())), summary)
    }
    let scalar = items[1].content
    let point: [UInt8]?
    switch curve {
    case .p256: point = (try? P256.Signing.PrivateKey(rawRepresentation: scalar)).map { Array($0.publicKey.x963Representation) }
    case .p384: point = (try? P384.Signing.PrivateKey(rawRepresentation: scalar)).map { Array($0.publicKey.x963Representation) }
    case .p521: point = (try? P521.Signing.PrivateKey(rawRepresentation: scalar)).map { Array($0.publicKey.x963Representation) }
    default: point = nil
    }
    return (point.map { .ec(curve: curve, curveOID: curveOID, point: $0) }, summary)
  }
}
