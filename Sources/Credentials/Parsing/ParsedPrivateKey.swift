import Crypto
internal import SwiftASN1
import _CryptoExtras

/// How a private key is wrapped. The board's loaders care: BearSSL reads PKCS#1, SEC1 and PKCS#8 (PEM or DER),
/// mbedTLS reads them all unencrypted, axTLS reads PKCS#1 DER only, nobody on the board decrypts.
public enum PrivateKeyFormat: String, Sendable, Codable {
  case pkcs1 = "PKCS#1"
  case sec1 = "SEC1"
  case pkcs8 = "PKCS#8"
}

/// A private key's public half and wrapping. Deliberately keeps no private material after parsing, so nothing
/// that prints or logs a parsed key can leak it.
public struct ParsedPrivateKey: Sendable {
  public let format: PrivateKeyFormat
  /// nil when it cannot be derived (an EC key on a curve swift-crypto lacks, without its [1] public key).
  public let publicKey: PublicKeyInfo?
  /// What kind of key, e.g. "RSA-2048", "EC P-256".
  public let summary: String

  /// What a DER structure shaped like a private key turned out to be.
  enum Reading {
    case key(ParsedPrivateKey)
    /// Shaped like PKCS#1/SEC1/PKCS#8, but swift-crypto refuses the numbers: the key is corrupt.
    case corrupt(PrivateKeyFormat, String)
  }

  public init?(der bytes: ArraySlice<UInt8>) {
    guard case .key(let key)? = Self.read(bytes) else { return nil }
    self = key
  }

  /// Tells PKCS#1 RSAPrivateKey, SEC1 ECPrivateKey and PKCS#8 PrivateKeyInfo apart by their shape (RFC 8017
  /// A.1.2, RFC 5915, RFC 5958), then lets swift-crypto load the key: it checks the numbers, so a flipped
  /// byte is reported as a corrupt key rather than as a key that does not match. nil: not a private key.
  static func read(_ bytes: ArraySlice<UInt8>) -> Reading? {
    guard let root = try? DER.parse(bytes), let items = ASN1Nodes.children(root),
          let version = ASN1Nodes.int(items.first) else { return nil }
    if version == 0, items.count >= 9, items[1...8].allSatisfy({ $0.identifier == .integer }) {
      return rsa(pkcs1: bytes, format: .pkcs1, pss: false)
    }
    if version == 1, items.count >= 2, items[1].identifier == .octetString {
      return ec(sec1: items, bytes: bytes, curveOID: nil, format: .sec1)
    }
    guard version <= 1, items.count >= 3, let algorithm = ASN1Nodes.children(items[1]),
          let oid = ASN1Nodes.oid(algorithm.first), let inner = ASN1Nodes.octets(items[2]) else { return nil }
    switch oid {
    case OID.rsaEncryption, OID.rsassaPSS:
      return rsa(pkcs1: inner, format: .pkcs8, pss: oid == OID.rsassaPSS)
    case OID.ecPublicKey:
      guard let innerItems = (try? DER.parse(inner)).flatMap(ASN1Nodes.children) else {
        return .corrupt(.pkcs8, "the EC key inside the PKCS#8 wrapper is not DER")
      }
      return ec(sec1: innerItems, bytes: bytes, curveOID: ASN1Nodes.oid(algorithm.count > 1 ? algorithm[1] : nil), format: .pkcs8)
    case OID.ed25519:
      guard let seed = ASN1Nodes.octets(try? DER.parse(inner)),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
        return .corrupt(.pkcs8, "the Ed25519 seed is not 32 bytes")
      }
      return .key(ParsedPrivateKey(format: .pkcs8, publicKey: .ed25519(key: Array(key.publicKey.rawRepresentation))))
    default:
      return .key(ParsedPrivateKey(format: .pkcs8, publicKey: .other(algorithmOID: oid)))
    }
  }

  private init(format: PrivateKeyFormat, publicKey: PublicKeyInfo?, fallback: String = "private key") {
    self.format = format
    self.publicKey = publicKey
    self.summary = publicKey?.summary ?? fallback
  }

  private static func rsa(pkcs1: ArraySlice<UInt8>, format: PrivateKeyFormat, pss: Bool) -> Reading {
    do {
      // "unsafe": accepts RSA-1024 too, which the checks must see to report.
      let key = try _RSA.Signing.PrivateKey(unsafeDERRepresentation: Array(pkcs1))
      let (modulus, exponent) = try PublicKeyInfo.rsaNumbers(Array(key.publicKey.pkcs1DERRepresentation)[...])
      let bits = PublicKeyInfo.bitLength(modulus)
      return .key(ParsedPrivateKey(format: format, publicKey: pss ? .rsaPSS(bits: bits, modulus: modulus)
                                                                  : .rsa(bits: bits, modulus: modulus, exponent: exponent)))
    } catch {
      return .corrupt(format, "swift-crypto refuses its RSA numbers")
    }
  }

  /// The public point comes from swift-crypto for P-256/384/521 (which also checks the scalar), otherwise
  /// from the `[1]` field (OpenSSL always writes it).
  private static func ec(sec1 items: [ASN1Node], bytes: ArraySlice<UInt8>, curveOID outer: String?,
                         format: PrivateKeyFormat) -> Reading {
    guard let curveOID = outer ?? ASN1Nodes.oid(ASN1Nodes.tagged(0, in: items)) else {
      return .key(ParsedPrivateKey(format: format, publicKey: nil, fallback: "EC key (curve not named)"))
    }
    let curve = NamedCurve.from(oid: curveOID)
    let point: [UInt8]?
    do {
      switch curve {
      case .p256: point = Array(try P256.Signing.PrivateKey(derRepresentation: bytes).publicKey.x963Representation)
      case .p384: point = Array(try P384.Signing.PrivateKey(derRepresentation: bytes).publicKey.x963Representation)
      case .p521: point = Array(try P521.Signing.PrivateKey(derRepresentation: bytes).publicKey.x963Representation)
      default: point = ASN1Nodes.bits(ASN1Nodes.tagged(1, in: items)).map(Array.init)
      }
    } catch {
      return .corrupt(format, "swift-crypto refuses its \(curve.rawValue) scalar")
    }
    let summary = curve == .other ? "EC curve \(curveOID)" : "EC \(curve.rawValue)"
    return .key(ParsedPrivateKey(format: format, publicKey: point.map { .ec(curve: curve, curveOID: curveOID, point: $0) },
                                 fallback: summary))
  }
}
