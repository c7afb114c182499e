import Crypto
import Foundation
internal import SwiftASN1
internal import X509

/// The facts about one X.509 certificate that the checks need. Parsed by swift-certificates
/// (`X509.Certificate`); certificates it refuses because of their key (RSA under 2048 bits, secp256k1,
/// brainpool, RSA-PSS keys) are the ones worth diagnosing, so for those the TBSCertificate is decoded with
/// SwiftASN1 and the library's own `DistinguishedName` and extension types (`CertificateDiagnosis`).
public struct ParsedCertificate: Sendable {
  public let der: [UInt8]
  let tbs: [UInt8]
  public let serialHex: String
  public let issuer: DistinguishedNameText
  public let subject: DistinguishedNameText
  /// Seconds since 1970 (UTC).
  public let notBefore: Int64
  public let notAfter: Int64
  /// True when notAfter is a GeneralizedTime: RFC 5280 §4.1.2.5 requires it for years ≥ 2050.
  public var notAfterIsGeneralizedTime: Bool { notAfter >= 2_524_608_000 }
  public let publicKey: PublicKeyInfo
  let spkiDER: [UInt8]
  public let signatureAlgorithm: SignatureAlgorithm
  let signature: [UInt8]
  /// basicConstraints cA; nil when the extension is absent.
  public let isCA: Bool?
  /// keyUsage bits the checks use; nil when the extension is absent.
  let keyUsage: KeyUsageBits?
  /// extendedKeyUsage OIDs; nil when absent.
  public let extendedKeyUsage: [String]?
  /// True when swift-certificates accepts the certificate (`x509` then re-reads it for signature checks;
  /// no library type is stored, so clients of this module never load X509).
  public var acceptedByLibrary: Bool { libraryRejection == nil }
  var x509: X509.Certificate? { acceptedByLibrary ? try? X509.Certificate(derEncoded: der) : nil }
  /// Why swift-certificates refused it (the facts then come from the diagnostic decode).
  public let libraryRejection: String?

  /// SHA-256 of the DER certificate, lowercase hex: what `openssl x509 -fingerprint -sha256` prints.
  public var sha256Fingerprint: String { Hex.string(SHA256.hash(data: der)) }
  /// SHA-256 of the SubjectPublicKeyInfo: stays the same when a CA is re-issued with the same key.
  public var spkiSHA256: String { Hex.string(SHA256.hash(data: spkiDER)) }
  public var isSelfIssued: Bool { issuer.der == subject.der }
  /// CA by basicConstraints, or (v1 certificates) by being self-issued.
  public var actsAsCA: Bool { isCA ?? isSelfIssued }

  public enum KeyUsageBit: Sendable { case digitalSignature, keyEncipherment, keyCertSign }
  struct KeyUsageBits: Sendable { var digitalSignature, keyEncipherment, keyCertSign: Bool }
  public var hasKeyUsageExtension: Bool { keyUsage != nil }
  public func hasKeyUsage(_ bit: KeyUsageBit) -> Bool {
    guard let keyUsage else { return false }
    switch bit {
    case .digitalSignature: return keyUsage.digitalSignature
    case .keyEncipherment: return keyUsage.keyEncipherment
    case .keyCertSign: return keyUsage.keyCertSign
    }
  }

  /// "CN=…" or the whole DN, for messages.
  public var displayName: String { subject.commonName ?? subject.text }

  /// nil when the bytes are not a certificate at all (not even one the library refuses).
  public init?(der bytes: ArraySlice<UInt8>) {
    guard let outer = try? CertificateOuter(bytes) else { return nil }
    let parts: CertificateParts
    var rejection: String?
    do {
      parts = try CertificateParts(try X509.Certificate(derEncoded: Array(bytes)))
    } catch {
      rejection = String(describing: error)
      guard let diagnosed = try? CertificateDiagnosis.decode(tbs: outer.tbs) else { return nil }
      parts = diagnosed
    }
    der = Array(bytes)
    tbs = Array(outer.tbs)
    signatureAlgorithm = SignatureAlgorithm.from(oid: outer.algorithmOID)
    signature = Array(outer.signature)
    serialHex = parts.serialHex
    issuer = parts.issuer
    subject = parts.subject
    notBefore = parts.notBefore
    notAfter = parts.notAfter
    spkiDER = parts.spki
    guard let key = try? PublicKeyInfo(spki: parts.spki[...]) else { return nil }
    publicKey = key
    isCA = parts.isCA
    keyUsage = parts.keyUsage
    extendedKeyUsage = parts.extendedKeyUsage
    libraryRejection = rejection
  }
}

/// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING } (RFC 5280 §4.1),
/// read with SwiftASN1: the signature algorithm's OID and the signed bytes, for both parsing paths.
struct CertificateOuter {
  let tbs: ArraySlice<UInt8>
  let algorithmOID: String
  let signature: ArraySlice<UInt8>

  init(_ bytes: ArraySlice<UInt8>) throws {
    let root = try DER.parse(bytes)
    guard let top = ASN1Nodes.children(root), top.count == 3, ASN1Nodes.isSequence(top[0]),
          let algorithm = ASN1Nodes.children(top[1]), let oid = ASN1Nodes.oid(algorithm.first),
          let signature = ASN1Nodes.bits(top[2]), let tbs = ASN1Nodes.children(top[0]), tbs.count >= 6
    else { throw PublicKeyInfo.Unreadable(description: "not an X.509 certificate") }
    self.tbs = top[0].encodedBytes
    algorithmOID = oid
    self.signature = signature
  }
}

/// The fields both parsing paths deliver.
struct CertificateParts {
  var serialHex: String
  var issuer: DistinguishedNameText
  var subject: DistinguishedNameText
  var notBefore: Int64
  var notAfter: Int64
  var spki: [UInt8]
  var isCA: Bool?
  var keyUsage: ParsedCertificate.KeyUsageBits?
  var extendedKeyUsage: [String]?

  init(_ cert: X509.Certificate) throws {
    try self.init(serial: cert.serialNumber.bytes, issuer: cert.issuer, subject: cert.subject,
                  notBefore: cert.notValidBefore, notAfter: cert.notValidAfter,
                  spki: try Self.spki(cert.publicKey), extensions: cert.extensions)
  }

  /// The SubjectPublicKeyInfo DER (`subjectPublicKeyInfoBytes` is the bare key, e.g. PKCS#1 for RSA).
  static func spki(_ key: Certificate.PublicKey) throws -> [UInt8] {
    var serializer = DER.Serializer()
    try serializer.serialize(key)
    return serializer.serializedBytes
  }

  init(serial: ArraySlice<UInt8>, issuer: DistinguishedName, subject: DistinguishedName, notBefore: Date,
       notAfter: Date, spki: [UInt8], extensions: Certificate.Extensions) throws {
    serialHex = Hex.string(serial)
    self.issuer = try DistinguishedNameText(issuer)
    self.subject = try DistinguishedNameText(subject)
    self.notBefore = Int64(notBefore.timeIntervalSince1970.rounded(.down))
    self.notAfter = Int64(notAfter.timeIntervalSince1970.rounded(.down))
    self.spki = spki
    switch try extensions.basicConstraints {
    case .isCertificateAuthority?: isCA = true
    case .notCertificateAuthority?: isCA = false
    case nil: isCA = nil
    }
    keyUsage = try extensions.keyUsage.map {
      ParsedCertificate.KeyUsageBits(digitalSignature: $0.digitalSignature, keyEncipherment: $0.keyEncipherment, keyCertSign: $0.keyCertSign)
    }
    extendedKeyUsage = try extensions.extendedKeyUsage.map { $0.map { ASN1ObjectIdentifier($0).description } }
  }
}

/// A Name as text for messages, plus its DER for exact issuer/subject comparison.
public struct DistinguishedNameText: Sendable, Equatable {
  public let text: String
  public let attributes: [(type: String, value: String)]
  let der: [UInt8]
  public var commonName: String? { attributes.last { $0.type == "CN" }?.value }
  public func values(_ type: String) -> [String] { attributes.filter { $0.type == type }.map(\.value) }

  public static func == (a: Self, b: Self) -> Bool { a.der == b.der }

  init(_ name: DistinguishedName) throws {
    let short: [String: String] = [
      "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU",
      "2.5.4.5": "serialNumber", "1.2.840.113549.1.9.1": "emailAddress", "0.9.2342.19200300.100.1.25": "DC",
    ]
    let attributes = name.flatMap { rdn in rdn.map { (short[$0.type.description] ?? $0.type.description, $0.value.description) } }
    self.attributes = attributes
    text = attributes.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
    var serializer = DER.Serializer()
    try serializer.serialize(name)
    der = serializer.serializedBytes
  }
}
