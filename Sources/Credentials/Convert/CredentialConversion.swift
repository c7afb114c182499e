/// Why a conversion cannot be done. Carries the file name and counts a user needs.
public enum ConversionError: Error, CustomStringConvertible, Sendable, Equatable {
  case notACredential(file: String)
  case encryptedKey(file: String)
  case multipleObjects(file: String, count: Int)
  case unsupported(file: String, what: String)
  case nameCollision(file: String, target: String)
  case badRename(String)

  public var description: String {
    switch self {
    case .notACredential(let f): "\(f): not a PEM or DER certificate or key"
    case .encryptedKey(let f): "\(f): the private key is encrypted; decrypt it first (`openssl pkey -in \(f) -out key.der -outform DER`)"
    case .multipleObjects(let f, let n): "\(f): holds \(n) certificates/keys; a DER file holds exactly one"
    case .unsupported(let f, let what): "\(f): cannot convert \(what)"
    case .nameCollision(let f, let t): "\(f): converting it would create \(t), which already exists"
    case .badRename(let r): "bad rename \"\(r)\": expected FROM=TO"
    }
  }
}

public enum CredentialEncodingChoice: String, Sendable, CaseIterable { case der, pem }

/// The result of one conversion: the bytes and what they are (for messages and PEM labels).
public struct ConvertedCredential: Sendable {
  public let bytes: [UInt8]
  /// e.g. "certificate", "RSA private key (PKCS#1)".
  public let kind: String
  public let isPrivateKey: Bool
}

/// PEM ↔ DER for certificates and keys, byte-identical to OpenSSL 3.0:
/// certificates like `openssl x509 -outform DER|PEM`; RSA keys as PKCS#1 like `openssl rsa -traditional`
/// (what OpenSSL 1.1 `openssl rsa -outform DER` wrote; OpenSSL 3's default writes PKCS#8); EC keys as SEC1 like
/// `openssl ec -outform DER`; with `pkcs8`, PKCS#8 like `openssl pkcs8 -topk8 -nocrypt` (= OpenSSL 3's
/// `openssl rsa -outform DER`). Observed with OpenSSL 3.0.19; see testdata/credentials/README.md.
public enum CredentialConversion {
  public static func convert(_ bytes: [UInt8], name: String, to encoding: CredentialEncodingChoice,
                             pkcs8: Bool = false) throws -> ConvertedCredential {
    let (label, der) = try singleObject(bytes, name: name)
    switch label {
    case "CERTIFICATE":
      return ConvertedCredential(bytes: output(der, label: "CERTIFICATE", encoding), kind: "certificate", isPrivateKey: false)
    case "PUBLIC KEY", "CERTIFICATE REQUEST":
      return ConvertedCredential(bytes: output(der, label: label, encoding), kind: label.lowercased(), isPrivateKey: false)
    default:
      let key = try KeyRewrap.normalize(der, name: name, pkcs8: pkcs8)
      return ConvertedCredential(bytes: output(key.der, label: key.label, encoding), kind: key.kind, isPrivateKey: true)
    }
  }

  private static func output(_ der: [UInt8], label: String, _ encoding: CredentialEncodingChoice) -> [UInt8] {
    encoding == .der ? der : Array(PEM.encode(label: label, der: der).utf8)
  }

  /// The one certificate or key in a file, as (label, DER). Private-key DER is returned under the label
  /// "KEY" and sorted out by `KeyRewrap`.
  static func singleObject(_ bytes: [UInt8], name: String) throws -> (label: String, der: [UInt8]) {
    let file = CredentialFile.inspect(path: name, bytes: bytes)
    guard file.encoding == .pem || file.encoding == .der else { throw ConversionError.notACredential(file: name) }
    let useful = file.objects.filter { if case .unrecognized = $0 { false } else { true } }
    guard !useful.isEmpty else { throw ConversionError.notACredential(file: name) }
    guard useful.count == 1, let object = useful.first else {
      throw ConversionError.multipleObjects(file: name, count: useful.count)
    }
    switch object {
    case .certificate(let cert): return ("CERTIFICATE", cert.der)
    case .privateKey: return ("KEY", try rawDER(of: bytes, file: file, name: name))
    case .encryptedPrivateKey: throw ConversionError.encryptedKey(file: name)
    case .publicKey: return ("PUBLIC KEY", try rawDER(of: bytes, file: file, name: name))
    case .certificateRequest: return ("CERTIFICATE REQUEST", try rawDER(of: bytes, file: file, name: name))
    case .pkcs12: throw ConversionError.unsupported(file: name, what: "a PKCS#12 bundle (use `openssl pkcs12`)")
    case .unrecognized(let what): throw ConversionError.unsupported(file: name, what: what)
    }
  }

  /// The DER of the single non-certificate object (parsed objects keep only public facts, so re-read it).
  private static func rawDER(of bytes: [UInt8], file: CredentialFile, name: String) throws -> [UInt8] {
    if file.encoding == .der {
      guard let node = DER.read(bytes[...]) else { throw ConversionError.notACredential(file: name) }
      return Array(node.encoded)
    }
    let blocks = PEM.parse(bytes).blocks.filter { CredentialFile.classify(pem: $0).isUseful }
    guard let block = blocks.first else { throw ConversionError.notACredential(file: name) }
    return block.der
  }
}

extension CredentialObject {
  var isUseful: Bool { if case .unrecognized = self { false } else { true } }
}

/// Re-wraps private keys between PKCS#1 / SEC1 and PKCS#8 exactly as OpenSSL lays them out.
enum KeyRewrap {
  struct Key { let der: [UInt8]; let label: String; let kind: String }

  static let rsaAlgorithm: [UInt8] = DER.tlv(DER.Tag.sequence, DER.tlv(DER.Tag.oid, [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]) + [0x05, 0x00])
  static let ecPublicKeyOID: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]

  static func normalize(_ der: [UInt8], name: String, pkcs8: Bool) throws -> Key {
    guard let root = DER.read(der[...]), let items = root.children(), let version = items.first.flatMap(DER.smallInt) else {
      throw ConversionError.notACredential(file: name)
    }
    if version == 0, items.count >= 9, items[1].tag == DER.Tag.integer {  // PKCS#1
      return rsa(pkcs1: Array(root.encoded), pkcs8: pkcs8)
    }
    if version == 1, items.count >= 2, items[1].tag == DER.Tag.octetString {  // SEC1
      return try ec(sec1: items, outerCurve: nil, name: name, pkcs8: pkcs8)
    }
    guard items.count >= 3, items[1].tag == DER.Tag.sequence, items[2].tag == DER.Tag.octetString,
          let algorithm = items[1].children(), let oidNode = algorithm.first,
          let oid = DER.oidString(oidNode.content) else { throw ConversionError.notACredential(file: name) }
    switch oid {
    case OID.rsaEncryption:
      return rsa(pkcs1: Array(items[2].content), pkcs8: pkcs8)
    case OID.ecPublicKey:
      guard algorithm.count > 1, algorithm[1].tag == DER.Tag.oid, let inner = DER.read(items[2].content)?.children() else {
        throw ConversionError.unsupported(file: name, what: "an EC key with explicit curve parameters")
      }
      return try ec(sec1: inner, outerCurve: Array(algorithm[1].content), name: name, pkcs8: pkcs8)
    default:
      // Ed25519 and others only exist as PKCS#8; pass them through.
      return Key(der: Array(root.encoded), label: "PRIVATE KEY", kind: "private key (PKCS#8, \(oid))")
    }
  }

  private static func rsa(pkcs1: [UInt8], pkcs8: Bool) -> Key {
    if pkcs8 {
      let body = DER.tlv(DER.Tag.integer, [0]) + rsaAlgorithm + DER.tlv(DER.Tag.octetString, pkcs1)
      return Key(der: DER.tlv(DER.Tag.sequence, body), label: "PRIVATE KEY", kind: "RSA private key (PKCS#8)")
    }
    return Key(der: pkcs1, label: "RSA PRIVATE KEY", kind: "RSA private key (PKCS#1)")
  }

  /// SEC1 per `openssl ec`: version 1, key, [0] named curve, [1] public point. PKCS#8 per `openssl pkcs8
  /// -topk8`: the curve in the AlgorithmIdentifier and an inner SEC1 key without [0].
  private static func ec(sec1 items: [DERNode], outerCurve: [UInt8]?, name: String, pkcs8: Bool) throws -> Key {
    let scalar = Array(items[1].content)
    let params = items.first { $0.tag == DER.Tag.context(0) }.flatMap { DER.read($0.content) }
    guard let curve = outerCurve ?? params.flatMap({ $0.tag == DER.Tag.oid ? Array($0.content) : nil }) else {
      throw ConversionError.unsupported(file: name, what: "an EC key without a named curve")
    }
    var publicBits = items.first { $0.tag == DER.Tag.context(1) }.flatMap { DER.read($0.content) }.map { Array($0.encoded) }
    if publicBits == nil, let curveName = DER.oidString(curve[...]),
       case .ec(_, _, let point)? = derivePublic(curve: NamedCurve.from(oid: curveName), scalar: scalar) {
      publicBits = DER.tlv(DER.Tag.bitString, [0] + point)
    }
    let version = DER.tlv(DER.Tag.integer, [1])
    let key = DER.tlv(DER.Tag.octetString, scalar)
    let pub = publicBits.map { DER.tlv(DER.Tag.context(1), $0) } ?? []
    let curveName = DER.oidString(curve[...]).map { NamedCurve.from(oid: $0) }.map { $0 == .other ? "EC" : "EC \($0.rawValue)" } ?? "EC"
    if pkcs8 {
      let inner = DER.tlv(DER.Tag.sequence, version + key + pub)
      let algorithm = DER.tlv(DER.Tag.sequence, DER.tlv(DER.Tag.oid, ecPublicKeyOID) + DER.tlv(DER.Tag.oid, curve))
      let body = DER.tlv(DER.Tag.integer, [0]) + algorithm + DER.tlv(DER.Tag.octetString, inner)
      return Key(der: DER.tlv(DER.Tag.sequence, body), label: "PRIVATE KEY", kind: "\(curveName) private key (PKCS#8)")
    }
    let sec1 = DER.tlv(DER.Tag.sequence, version + key + DER.tlv(DER.Tag.context(0), DER.tlv(DER.Tag.oid, curve)) + pub)
    return Key(der: sec1, label: "EC PRIVATE KEY", kind: "\(curveName) private key (SEC1)")
  }

  private static func derivePublic(curve: NamedCurve, scalar: [UInt8]) -> PublicKeyInfo? {
    let sec1 = DER.tlv(DER.Tag.sequence, DER.tlv(DER.Tag.integer, [1]) + DER.tlv(DER.Tag.octetString, scalar)
      + DER.tlv(DER.Tag.context(0), DER.tlv(DER.Tag.oid, curveOIDBytes(curve) ?? [])))
    return ParsedPrivateKey(der: sec1[...])?.publicKey
  }

  private static func curveOIDBytes(_ curve: NamedCurve) -> [UInt8]? {
    switch curve {
    case .p256: [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
    case .p384: [0x2B, 0x81, 0x04, 0x00, 0x22]
    case .p521: [0x2B, 0x81, 0x04, 0x00, 0x23]
    default: nil
    }
  }
}
