import Foundation
internal import SwiftASN1
internal import X509

/// The diagnostic path for certificates swift-certificates refuses (almost always because of the key: RSA
/// under 2048 bits, secp256k1, brainpool, RSA-PSS): TBSCertificate (RFC 5280 §4.1.2) decoded with SwiftASN1,
/// names and extensions with the library's own types. The key itself is described by `PublicKeyInfo(spki:)`.
enum CertificateDiagnosis {
  static func decode(tbs bytes: ArraySlice<UInt8>) throws -> CertificateParts {
    let root = try DER.parse(bytes)
    guard var fields = ASN1Nodes.children(root) else { throw PublicKeyInfo.Unreadable(description: "TBSCertificate") }
    // version [0] EXPLICIT, absent in v1 certificates.
    if fields.first?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) { fields.removeFirst() }
    guard fields.count >= 6, let validity = ASN1Nodes.children(fields[3]), validity.count == 2 else {
      throw PublicKeyInfo.Unreadable(description: "TBSCertificate fields")
    }
    let serial = try ArraySlice<UInt8>(derEncoded: fields[0])
    let extensions: [Certificate.Extension]
    let tag3 = ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific)
    if let wrapped = fields.first(where: { $0.identifier == tag3 }).flatMap(ASN1Nodes.children)?.first {
      extensions = try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: wrapped)
    } else {
      extensions = []
    }
    return try CertificateParts(serial: serial, issuer: try DistinguishedName(derEncoded: fields[2]),
                                subject: try DistinguishedName(derEncoded: fields[4]),
                                notBefore: try time(validity[0]), notAfter: try time(validity[1]),
                                spki: Array(fields[5].encodedBytes), extensions: try Certificate.Extensions(extensions))
  }

  /// UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5), as a Date.
  static func time(_ node: ASN1Node) throws -> Date {
    var parts = DateComponents()
    parts.timeZone = TimeZone(identifier: "UTC")
    if node.identifier == .utcTime {
      let t = try UTCTime(derEncoded: node)
      (parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second) = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
    } else {
      let t = try GeneralizedTime(derEncoded: node)
      (parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second) = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
    }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    guard let date = calendar.date(from: parts) else { throw PublicKeyInfo.Unreadable(description: "validity time") }
    return date
  }
}
