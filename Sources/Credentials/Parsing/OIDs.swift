/// Object identifiers used by certificates and keys (RFC 5280, RFC 8017, RFC 5480, RFC 5958, RFC 8410).
enum OID {
  static let rsaEncryption = "1.2.840.113549.1.1.1"
  static let rsassaPSS = "1.2.840.113549.1.1.10"
  static let ecPublicKey = "1.2.840.10045.2.1"
  static let ed25519 = "1.3.101.112"
  static let ed448 = "1.3.101.113"
  static let x25519 = "1.3.101.110"

  static let pbes2 = "1.2.840.113549.1.5.13"
  static let pkcs7Data = "1.2.840.113549.1.7.1"

  static let basicConstraints = "2.5.29.19"
  static let keyUsage = "2.5.29.15"
  static let extendedKeyUsage = "2.5.29.37"
  static let anyExtendedKeyUsage = "2.5.29.37.0"
  static let clientAuth = "1.3.6.1.5.5.7.3.2"
  static let serverAuth = "1.3.6.1.5.5.7.3.1"
}

/// The hash inside a certificate signature algorithm.
public enum SignatureHash: String, Sendable, Codable, Comparable {
  case md5 = "MD5", sha1 = "SHA-1", sha224 = "SHA-224", sha256 = "SHA-256", sha384 = "SHA-384",
       sha512 = "SHA-512", intrinsic = "intrinsic (EdDSA)", unknown = "unknown"

  var strength: Int {
    switch self {
    case .md5: 0
    case .sha1: 1
    case .sha224: 2
    case .sha256: 3
    case .sha384: 4
    case .sha512: 5
    case .intrinsic: 6
    case .unknown: -1
    }
  }
  public static func < (a: Self, b: Self) -> Bool { a.strength < b.strength }
}

/// A certificate's signature algorithm, as far as the board's TLS stack cares.
public struct SignatureAlgorithm: Sendable, Equatable, Codable {
  public enum Kind: String, Sendable, Codable { case rsaPKCS1 = "RSA", rsaPSS = "RSA-PSS", ecdsa = "ECDSA", ed25519 = "Ed25519", unknown }
  public var kind: Kind
  public var hash: SignatureHash
  public var oid: String

  static func from(oid: String) -> SignatureAlgorithm {
    let table: [String: (Kind, SignatureHash)] = [
      "1.2.840.113549.1.1.4": (.rsaPKCS1, .md5),
      "1.2.840.113549.1.1.5": (.rsaPKCS1, .sha1),
      "1.3.14.3.2.29": (.rsaPKCS1, .sha1),
      "1.2.840.113549.1.1.14": (.rsaPKCS1, .sha224),
      "1.2.840.113549.1.1.11": (.rsaPKCS1, .sha256),
      "1.2.840.113549.1.1.12": (.rsaPKCS1, .sha384),
      "1.2.840.113549.1.1.13": (.rsaPKCS1, .sha512),
      OID.rsassaPSS: (.rsaPSS, .unknown),
      "1.2.840.10045.4.1": (.ecdsa, .sha1),
      "1.2.840.10045.4.3.1": (.ecdsa, .sha224),
      "1.2.840.10045.4.3.2": (.ecdsa, .sha256),
      "1.2.840.10045.4.3.3": (.ecdsa, .sha384),
      "1.2.840.10045.4.3.4": (.ecdsa, .sha512),
      OID.ed25519: (.ed25519, .intrinsic),
    ]
    let (kind, hash) = table[oid] ?? (.unknown, .unknown)
    return SignatureAlgorithm(kind: kind, hash: hash, oid: oid)
  }

  public var name: String {
    switch kind {
    case .rsaPKCS1: "\(String(hash.rawValue.filter { $0 != "-" }).lowercased())WithRSAEncryption"
    case .ecdsa: "ecdsa-with-\(String(hash.rawValue.filter { $0 != "-" }))"
    case .rsaPSS: "RSASSA-PSS"
    case .ed25519: "Ed25519"
    case .unknown: "unknown (\(oid))"
    }
  }
}

/// Named elliptic curves (RFC 5480, RFC 5639, SEC 2).
public enum NamedCurve: String, Sendable, Codable {
  case p192 = "P-192", p224 = "P-224", p256 = "P-256", p384 = "P-384", p521 = "P-521", secp256k1,
       brainpoolP256r1, brainpoolP384r1, brainpoolP512r1, other

  static func from(oid: String) -> NamedCurve {
    switch oid {
    case "1.2.840.10045.3.1.1": .p192
    case "1.3.132.0.33": .p224
    case "1.2.840.10045.3.1.7": .p256
    case "1.3.132.0.34": .p384
    case "1.3.132.0.35": .p521
    case "1.3.132.0.10": .secp256k1
    case "1.3.36.3.3.2.8.1.1.7": .brainpoolP256r1
    case "1.3.36.3.3.2.8.1.1.11": .brainpoolP384r1
    case "1.3.36.3.3.2.8.1.1.13": .brainpoolP512r1
    default: .other
    }
  }
}

/// The public half of a key, enough to say whether a key matches a certificate and whether a stack accepts it.
public enum PublicKeyInfo: Sendable, Equatable, Codable {
  case rsa(bits: Int, modulus: [UInt8], exponent: [UInt8])
  /// An `id-RSASSA-PSS` key (RFC 4055): the same numbers, but only usable for PSS signatures.
  case rsaPSS(bits: Int, modulus: [UInt8])
  case ec(curve: NamedCurve, curveOID: String, point: [UInt8])
  case ed25519(key: [UInt8])
  case other(algorithmOID: String)

  /// "RSA-2048", "EC P-256", …
  public var summary: String {
    switch self {
    case .rsa(let bits, _, _): "RSA-\(bits)"
    case .rsaPSS(let bits, _): "RSA-PSS-\(bits)"
    case .ec(let curve, let oid, _): curve == .other ? "EC curve \(oid)" : "EC \(curve.rawValue)"
    case .ed25519: "Ed25519"
    case .other(let oid): "key algorithm \(oid)"
    }
  }
}
