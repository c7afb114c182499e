/// One thing found inside a credential file.
public enum CredentialObject: Sendable {
  case certificate(ParsedCertificate)
  case privateKey(ParsedPrivateKey)
  /// `Proc-Type: 4,ENCRYPTED` PEM, or PKCS#8 EncryptedPrivateKeyInfo (RFC 5958 §3), PEM or DER.
  case encryptedPrivateKey(EncryptedKeyStyle)
  case publicKey(PublicKeyInfo)
  case certificateRequest
  case pkcs12
  /// A PEM block or DER structure that is none of the above.
  case unrecognized(String)

  public var kindName: String {
    switch self {
    case .certificate: "certificate"
    case .privateKey(let key): "\(key.summary) private key (\(key.format.rawValue))"
    case .encryptedPrivateKey(let style): "encrypted private key (\(style.rawValue))"
    case .publicKey(let key): "\(key.summary) public key"
    case .certificateRequest: "certificate signing request (CSR)"
    case .pkcs12: "PKCS#12 bundle"
    case .unrecognized(let what): what
    }
  }
}

public enum EncryptedKeyStyle: String, Sendable {
  case legacyPEM = "PEM Proc-Type: 4,ENCRYPTED"
  case pkcs8 = "PKCS#8 EncryptedPrivateKeyInfo"
}

/// How the bytes of a file are encoded.
public enum CredentialEncoding: String, Sendable, Codable {
  case pem = "PEM", der = "DER", empty, other
}

/// What a file holds, as far as a TLS stack on the board would see it.
public struct CredentialFile: Sendable {
  public let path: String
  public let size: Int
  public let encoding: CredentialEncoding
  public let objects: [CredentialObject]
  /// PEM only: CR LF line ends (harmless: BearSSL, mbedTLS and OpenSSL all accept them).
  public let usesCRLF: Bool
  /// DER only: bytes after the last complete structure.
  public let trailingBytes: Int
  /// PEM only: blocks without END, bad base64 …
  public let pemProblems: [PEMProblem]
  /// PEM only: non-blank text outside BEGIN/END blocks (OpenSSL's `-text` dump, comments).
  public let hasTextOutsideBlocks: Bool

  public var certificates: [ParsedCertificate] {
    objects.compactMap { if case .certificate(let c) = $0 { c } else { nil } }
  }
  public var privateKeys: [ParsedPrivateKey] {
    objects.compactMap { if case .privateKey(let k) = $0 { k } else { nil } }
  }
  public var isCredential: Bool { encoding == .pem || (encoding == .der && !objects.isEmpty) }

  public static func inspect(path: String, bytes: [UInt8]) -> CredentialFile {
    if bytes.isEmpty {
      return CredentialFile(path: path, size: 0, encoding: .empty, objects: [], usesCRLF: false, trailingBytes: 0,
                            pemProblems: [], hasTextOutsideBlocks: false)
    }
    if PEM.looksLikePEM(bytes) {
      let (blocks, problems) = PEM.parse(bytes)
      let objects = blocks.map(classify(pem:))
      return CredentialFile(path: path, size: bytes.count, encoding: .pem, objects: objects,
                            usesCRLF: bytes.contains(0x0D), trailingBytes: 0, pemProblems: problems,
                            hasTextOutsideBlocks: textOutsideBlocks(bytes))
    }
    let (nodes, rest) = DER.readPrefix(bytes[...])
    // Only call it DER when the first structure is a credential; otherwise it is some other file.
    guard let first = nodes.first, classify(der: first) != nil else {
      return CredentialFile(path: path, size: bytes.count, encoding: .other, objects: [], usesCRLF: false,
                            trailingBytes: 0, pemProblems: [], hasTextOutsideBlocks: false)
    }
    let all = nodes.map { classify(der: $0) ?? .unrecognized("unrecognized DER structure") }
    return CredentialFile(path: path, size: bytes.count, encoding: .der, objects: all, usesCRLF: false,
                          trailingBytes: rest.count, pemProblems: [], hasTextOutsideBlocks: false)
  }

  static func classify(pem block: PEMBlock) -> CredentialObject {
    if block.isLegacyEncrypted { return .encryptedPrivateKey(.legacyPEM) }
    switch block.label {
    case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
      // "TRUSTED CERTIFICATE" appends OpenSSL trust settings after the certificate.
      if let cert = ParsedCertificate(der: block.der[...]) { return .certificate(cert) }
      if let node = DER.read(block.der[...]), let cert = ParsedCertificate(der: node.encoded) {
        return .certificate(cert)
      }
      return .unrecognized("\(block.label) block that does not decode as X.509")
    case "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY":
      if let key = ParsedPrivateKey(der: block.der[...]) { return .privateKey(key) }
      return .unrecognized("\(block.label) block that does not decode as a private key")
    case "ENCRYPTED PRIVATE KEY":
      return .encryptedPrivateKey(.pkcs8)
    case "PUBLIC KEY", "RSA PUBLIC KEY":
      if let node = DER.read(block.der[...]), let key = PublicKeyInfo(spki: node) { return .publicKey(key) }
      return .unrecognized("\(block.label) block")
    case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
      return .certificateRequest
    case "EC PARAMETERS":
      return .unrecognized("EC PARAMETERS block (curve name only, from `openssl ecparam -genkey`)")
    default:
      return classify(der: DER.read(block.der[...]) ?? DERNode(tag: 0, encoded: [], content: []))
        ?? .unrecognized("PEM block \"\(block.label)\"")
    }
  }

  static func classify(der node: DERNode) -> CredentialObject? {
    guard node.tag == DER.Tag.sequence else { return nil }
    if let cert = ParsedCertificate(der: node.encoded) { return .certificate(cert) }
    if let key = ParsedPrivateKey(der: node.encoded) { return .privateKey(key) }
    guard let items = node.children() else { return nil }
    // EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier (PBES2 or a PKCS#5/#12 PBE), OCTET STRING }.
    if items.count == 2, items[1].tag == DER.Tag.octetString, let alg = items[0].children(),
       let oidNode = alg.first, oidNode.tag == DER.Tag.oid, let oid = DER.oidString(oidNode.content),
       oid == OID.pbes2 || oid.hasPrefix("1.2.840.113549.1.5.") || oid.hasPrefix("1.2.840.113549.1.12.1.") {
      return .encryptedPrivateKey(.pkcs8)
    }
    if items.count == 2, items[1].tag == DER.Tag.bitString, let key = PublicKeyInfo(spki: node) {
      return .publicKey(key)
    }
    // PFX: SEQUENCE { INTEGER 3, ContentInfo SEQUENCE { OID pkcs7 … } … } (RFC 7292 §4).
    if items.count >= 2, DER.smallInt(items[0]) == 3, items[1].tag == DER.Tag.sequence,
       let inner = items[1].children()?.first, inner.tag == DER.Tag.oid,
       DER.oidString(inner.content)?.hasPrefix("1.2.840.113549.1.7.") == true {
      return .pkcs12
    }
    // CertificationRequest: SEQUENCE { SEQUENCE { INTEGER 0, Name, SPKI, [0] … }, AlgorithmIdentifier, BIT STRING }.
    if items.count == 3, items[2].tag == DER.Tag.bitString, let info = items[0].children(), info.count >= 3,
       DER.smallInt(info[0]) == 0, info[1].tag == DER.Tag.sequence, PublicKeyInfo(spki: info[2]) != nil {
      return .certificateRequest
    }
    return nil
  }

  private static func textOutsideBlocks(_ bytes: [UInt8]) -> Bool {
    var inside = false
    for line in PEM.lines(bytes) {
      let trimmed = line.trimmingSpaces
      if trimmed.hasPrefix("-----BEGIN ") { inside = true; continue }
      if trimmed.hasPrefix("-----END ") { inside = false; continue }
      if !inside && !trimmed.isEmpty { return true }
    }
    return false
  }
}
