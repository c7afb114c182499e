internal import SwiftASN1
internal import X509

/// One thing found inside a credential file.
public enum CredentialObject: Sendable {
  case certificate(ParsedCertificate)
  case privateKey(ParsedPrivateKey)
  /// Shaped like a PKCS#1/SEC1/PKCS#8 key, but the numbers do not form a key (a flipped or lost byte).
  case corruptPrivateKey(PrivateKeyFormat, reason: String)
  /// `Proc-Type: 4,ENCRYPTED` PEM, or PKCS#8 EncryptedPrivateKeyInfo (RFC 5958 §3), PEM or DER.
  case encryptedPrivateKey(EncryptedKeyStyle)
  case publicKey(PublicKeyInfo)
  case certificateRequest
  case pkcs12
  /// `openssl ecparam -genkey` writes the curve name as its own block before the key; loaders skip it.
  case ecParameters
  /// A block whose DER ends before its own length says: base64 lines are missing.
  case truncated(label: String, have: Int, need: Int)
  /// A PEM block or DER structure that is none of the above.
  case unrecognized(String)

  public var kindName: String {
    switch self {
    case .certificate: "certificate"
    case .privateKey(let key): "\(key.summary) private key (\(key.format.rawValue))"
    case .corruptPrivateKey(let format, _): "corrupt private key (\(format.rawValue))"
    case .encryptedPrivateKey(let style): "encrypted private key (\(style.rawValue))"
    case .publicKey(let key): "\(key.summary) public key"
    case .certificateRequest: "certificate signing request (CSR)"
    case .pkcs12: "PKCS#12 bundle"
    case .ecParameters: "EC PARAMETERS block"
    case .truncated(let label, let have, let need): "truncated \(label) (\(have) of \(need) bytes)"
    case .unrecognized(let what): what
    }
  }

  var isUseful: Bool {
    switch self {
    case .unrecognized, .ecParameters, .truncated: false
    default: true
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
  /// PEM only: the BEGIN label of each object (same order as `objects`).
  public let labels: [String?]
  /// DER only: bytes after the last complete structure.
  public let trailingBytes: Int
  /// PEM only: blocks without END, bad base64 …
  public let pemProblems: [PEMProblem]
  /// PEM only: how the text differs from what openssl writes.
  public let defects: PEMTextDefects

  public var usesCRLF: Bool { defects.crlf }
  public var hasTextOutsideBlocks: Bool { defects.textOutsideBlocks }
  public var certificates: [ParsedCertificate] {
    objects.compactMap { if case .certificate(let c) = $0 { c } else { nil } }
  }
  public var privateKeys: [ParsedPrivateKey] {
    objects.compactMap { if case .privateKey(let k) = $0 { k } else { nil } }
  }
  public var isCredential: Bool { encoding == .pem || (encoding == .der && !objects.isEmpty) }

  public static func inspect(path: String, bytes: [UInt8]) -> CredentialFile {
    if bytes.isEmpty { return CredentialFile(path: path, size: 0, encoding: .empty) }
    if PEM.looksLikePEM(bytes) {
      let (blocks, problems, defects) = PEM.parse(bytes)
      return CredentialFile(path: path, size: bytes.count, encoding: .pem, objects: blocks.map(classify(pem:)),
                            labels: blocks.map(\.label), pemProblems: problems, defects: defects)
    }
    let (nodes, trailing) = ASN1Nodes.split(bytes)
    // Only call it DER when the first structure is a credential; otherwise it is some other file.
    guard let first = nodes.first, let firstObject = classify(der: first.encodedBytes) else {
      // A cut-off DER certificate or key: a SEQUENCE with a long-form length that runs past the end.
      if bytes.count > 4, bytes[0] == 0x30, bytes[1] == 0x81 || bytes[1] == 0x82,
         let need = ASN1Nodes.objectLength(bytes[...]), need > bytes.count {
        return CredentialFile(path: path, size: bytes.count, encoding: .der,
                              objects: [.truncated(label: "DER object", have: bytes.count, need: need)], trailingBytes: 0)
      }
      return CredentialFile(path: path, size: bytes.count, encoding: .other)
    }
    let rest = nodes.dropFirst().map { classify(der: $0.encodedBytes) ?? .unrecognized("unrecognized DER structure") }
    return CredentialFile(path: path, size: bytes.count, encoding: .der, objects: [firstObject] + rest,
                          trailingBytes: trailing)
  }

  private init(path: String, size: Int, encoding: CredentialEncoding, objects: [CredentialObject] = [],
               labels: [String?] = [], trailingBytes: Int = 0, pemProblems: [PEMProblem] = [],
               defects: PEMTextDefects = PEMTextDefects()) {
    self.path = path
    self.size = size
    self.encoding = encoding
    self.objects = objects
    self.labels = labels.isEmpty ? objects.map { _ in nil } : labels
    self.trailingBytes = trailingBytes
    self.pemProblems = pemProblems
    self.defects = defects
  }

  static func classify(pem block: PEMBlock) -> CredentialObject {
    if block.isLegacyEncrypted { return .encryptedPrivateKey(.legacyPEM) }
    if block.label == "EC PARAMETERS" { return .ecParameters }
    if block.label == "ENCRYPTED PRIVATE KEY" { return .encryptedPrivateKey(.pkcs8) }
    // Judge the content, not the label: a PKCS#8 key under an RSA header is still a key (FormatChecks says
    // which stacks mind the label). "TRUSTED CERTIFICATE" appends OpenSSL trust settings after the certificate.
    let bytes = block.der[...]
    let length = ASN1Nodes.objectLength(bytes)
    if let length, length > bytes.count { return .truncated(label: block.label, have: bytes.count, need: length) }
    let object = bytes.prefix(block.label == "TRUSTED CERTIFICATE" ? (length ?? bytes.count) : bytes.count)
    return classify(der: object) ?? .unrecognized("a \(block.label) block that is not a certificate or key")
  }

  /// What one DER object is; nil when it is no credential structure at all.
  static func classify(der bytes: ArraySlice<UInt8>) -> CredentialObject? {
    if let need = ASN1Nodes.objectLength(bytes), need > bytes.count {
      return .truncated(label: "DER object", have: bytes.count, need: need)
    }
    guard let root = try? DER.parse(bytes), root.identifier == .sequence, let items = ASN1Nodes.children(root) else { return nil }
    if let cert = ParsedCertificate(der: bytes) { return .certificate(cert) }
    if (try? CertificateSigningRequest(derEncoded: Array(bytes))) != nil { return .certificateRequest }
    switch ParsedPrivateKey.read(bytes) {
    case .key(let key)?: return .privateKey(key)
    case .corrupt(let format, let reason)?: return .corruptPrivateKey(format, reason: reason)
    case nil: break
    }
    // EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier (PBES2 or a PKCS#5/#12 PBE), OCTET STRING }.
    if items.count == 2, items[1].identifier == .octetString, let alg = ASN1Nodes.children(items[0]),
       let oid = ASN1Nodes.oid(alg.first),
       oid == OID.pbes2 || oid.hasPrefix("1.2.840.113549.1.5.") || oid.hasPrefix("1.2.840.113549.1.12.1.") {
      return .encryptedPrivateKey(.pkcs8)
    }
    if items.count == 2, items[1].identifier == .bitString, let key = try? PublicKeyInfo(spki: bytes) {
      return .publicKey(key)
    }
    // PFX: SEQUENCE { INTEGER 3, ContentInfo SEQUENCE { OID pkcs7-… } … } (RFC 7292 §4).
    if items.count >= 2, ASN1Nodes.int(items[0]) == 3, let content = ASN1Nodes.children(items[1]),
       ASN1Nodes.oid(content.first)?.hasPrefix("1.2.840.113549.1.7.") == true {
      return .pkcs12
    }
    // A CSR whose key swift-certificates refuses: SEQUENCE { SEQUENCE { INTEGER 0, Name, SPKI, [0] … }, … }.
    if items.count == 3, items[2].identifier == .bitString, let info = ASN1Nodes.children(items[0]), info.count >= 3,
       ASN1Nodes.int(info[0]) == 0, (try? PublicKeyInfo(spki: info[2].encodedBytes)) != nil {
      return .certificateRequest
    }
    return nil
  }
}
