import Crypto

/// The facts about one X.509 certificate that the checks need, read with our own DER walker so that
/// certificates swift-certificates refuses (RSA-1024, secp256k1, SHA-1 …) can still be diagnosed.
public struct ParsedCertificate: Sendable {
  public let der: [UInt8]
  let tbs: [UInt8]
  public let serialHex: String
  public let issuer: DistinguishedNameText
  public let subject: DistinguishedNameText
  let issuerDER: [UInt8]
  let subjectDER: [UInt8]
  /// Seconds since 1970 (UTC).
  public let notBefore: Int64
  public let notAfter: Int64
  /// True when notAfter is encoded as GeneralizedTime (years ≥ 2050, RFC 5280 §4.1.2.5).
  public let notAfterIsGeneralizedTime: Bool
  public let publicKey: PublicKeyInfo
  let spkiDER: [UInt8]
  public let signatureAlgorithm: SignatureAlgorithm
  let signature: [UInt8]
  /// basicConstraints cA; nil when the extension is absent.
  public let isCA: Bool?
  /// keyUsage bits (bit 0 = digitalSignature … bit 5 = keyCertSign); nil when absent.
  public let keyUsage: UInt16?
  /// extendedKeyUsage OIDs; nil when absent.
  public let extendedKeyUsage: [String]?

  /// SHA-256 of the DER certificate, lowercase hex: what `openssl x509 -fingerprint -sha256` prints.
  public var sha256Fingerprint: String { Hex.string(SHA256.hash(data: der)) }
  /// SHA-256 of the SubjectPublicKeyInfo: stays the same when a CA is re-issued with the same key.
  public var spkiSHA256: String { Hex.string(SHA256.hash(data: spkiDER)) }
  public var isSelfIssued: Bool { issuerDER == subjectDER }
  /// CA by basicConstraints, or (v1 certificates) by being self-issued.
  public var actsAsCA: Bool { isCA ?? isSelfIssued }

  public init?(der bytes: ArraySlice<UInt8>) {
    guard let cert = DER.read(bytes), cert.tag == DER.Tag.sequence, cert.encoded.count == bytes.count,
          let top = cert.children(), top.count == 3,
          top[0].tag == DER.Tag.sequence, top[1].tag == DER.Tag.sequence, top[2].tag == DER.Tag.bitString,
          var fields = top[0].children()
    else { return nil }
    der = Array(cert.encoded)
    tbs = Array(top[0].encoded)
    if fields.first?.tag == DER.Tag.context(0) { fields.removeFirst() }  // version
    guard fields.count >= 6, fields[0].tag == DER.Tag.integer, fields[1].tag == DER.Tag.sequence,
          fields[2].tag == DER.Tag.sequence, fields[3].tag == DER.Tag.sequence,
          fields[4].tag == DER.Tag.sequence, fields[5].tag == DER.Tag.sequence,
          let validity = fields[3].children(), validity.count == 2,
          let start = ASN1Time.seconds(validity[0]), let end = ASN1Time.seconds(validity[1]),
          let key = PublicKeyInfo(spki: fields[5]),
          let algorithm = top[1].children()?.first, algorithm.tag == DER.Tag.oid,
          let algorithmOID = DER.oidString(algorithm.content),
          let signatureBits = top[2].content.first, signatureBits == 0
    else { return nil }
    serialHex = Hex.string(fields[0].content)
    issuerDER = Array(fields[2].encoded)
    subjectDER = Array(fields[4].encoded)
    issuer = DistinguishedNameText(name: fields[2])
    subject = DistinguishedNameText(name: fields[4])
    notBefore = start
    notAfter = end
    notAfterIsGeneralizedTime = validity[1].tag == DER.Tag.generalizedTime
    publicKey = key
    spkiDER = Array(fields[5].encoded)
    signatureAlgorithm = SignatureAlgorithm.from(oid: algorithmOID)
    signature = Array(top[2].content.dropFirst())

    var ca: Bool?
    var usage: UInt16?
    var eku: [String]?
    if let extensions = fields.first(where: { $0.tag == DER.Tag.context(3) })?.children()?.first?.children() {
      for ext in extensions {
        guard let parts = ext.children(), let oidNode = parts.first, oidNode.tag == DER.Tag.oid,
              let oid = DER.oidString(oidNode.content), let value = parts.last, value.tag == DER.Tag.octetString,
              let inner = DER.read(value.content)
        else { continue }
        switch oid {
        case OID.basicConstraints:
          let items = inner.children() ?? []
          ca = items.first.map { $0.tag == DER.Tag.boolean && $0.content.first.map { $0 != 0 } == true } ?? false
        case OID.keyUsage where inner.tag == DER.Tag.bitString && inner.content.count >= 2:
          let bytes = inner.content.dropFirst()
          var bits: UInt16 = 0
          for (i, byte) in bytes.prefix(2).enumerated() {
            for bit in 0..<8 where byte & (0x80 >> UInt8(bit)) != 0 { bits |= 1 << UInt16(i * 8 + bit) }
          }
          usage = bits
        case OID.extendedKeyUsage:
          eku = (inner.children() ?? []).compactMap { $0.tag == DER.Tag.oid ? DER.oidString($0.content) : nil }
        default:
          break
        }
      }
    }
    isCA = ca
    keyUsage = usage
    extendedKeyUsage = eku
  }

  /// keyUsage bit numbers (RFC 5280 §4.2.1.3).
  public enum KeyUsageBit: UInt16 { case digitalSignature = 0, keyEncipherment = 2, keyCertSign = 5 }
  public func hasKeyUsage(_ bit: KeyUsageBit) -> Bool { (keyUsage ?? 0) & (1 << bit.rawValue) != 0 }

  /// "CN=…" or the whole DN, for messages.
  public var displayName: String { subject.commonName ?? subject.text }
}

extension PublicKeyInfo {
  /// Reads a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
  init?(spki: DERNode) {
    guard let parts = spki.children(), parts.count == 2, parts[1].tag == DER.Tag.bitString,
          let algorithm = parts[0].children(), let oidNode = algorithm.first, oidNode.tag == DER.Tag.oid,
          let oid = DER.oidString(oidNode.content), parts[1].content.first == 0
    else { return nil }
    let key = parts[1].content.dropFirst()
    switch oid {
    case OID.rsaEncryption, OID.rsassaPSS:
      guard let rsa = DER.read(key)?.children(), rsa.count == 2,
            rsa[0].tag == DER.Tag.integer, rsa[1].tag == DER.Tag.integer else { return nil }
      self = .rsa(bits: DER.bitLength(rsa[0].content), modulus: Array(DER.unsignedMagnitude(rsa[0].content)),
                  exponent: Array(DER.unsignedMagnitude(rsa[1].content)))
    case OID.ecPublicKey:
      guard algorithm.count == 2, algorithm[1].tag == DER.Tag.oid,
            let curveOID = DER.oidString(algorithm[1].content) else {
        self = .other(algorithmOID: oid + " (explicit curve parameters)")
        return
      }
      self = .ec(curve: NamedCurve.from(oid: curveOID), curveOID: curveOID, point: Array(key))
    case OID.ed25519:
      self = .ed25519(key: Array(key))
    default:
      self = .other(algorithmOID: oid)
    }
  }
}

/// A readable rendering of a Name, plus the attributes checks look at.
public struct DistinguishedNameText: Sendable, Equatable {
  public let text: String
  public let attributes: [(type: String, value: String)]
  public var commonName: String? { attributes.last { $0.type == "CN" }?.value }
  public func values(_ type: String) -> [String] { attributes.filter { $0.type == type }.map(\.value) }

  public static func == (a: Self, b: Self) -> Bool { a.text == b.text }

  init(name: DERNode) {
    let short: [String: String] = [
      "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU",
      "2.5.4.5": "serialNumber", "1.2.840.113549.1.9.1": "emailAddress", "0.9.2342.19200300.100.1.25": "DC",
    ]
    var attributes: [(String, String)] = []
    for rdn in name.children() ?? [] {
      for pair in rdn.children() ?? [] {
        guard let items = pair.children(), items.count == 2, items[0].tag == DER.Tag.oid,
              let oid = DER.oidString(items[0].content) else { continue }
        attributes.append((short[oid] ?? oid, ASN1Text.decode(items[1])))
      }
    }
    self.attributes = attributes
    text = attributes.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
  }
}

enum ASN1Text {
  /// Decodes the string types found in names; unknown or invalid content becomes "#hex".
  static func decode(_ node: DERNode) -> String {
    switch node.tag {
    case DER.Tag.utf8String, DER.Tag.printableString, DER.Tag.ia5String, DER.Tag.t61String:
      if let s = String(validating: Array(node.content), as: UTF8.self) { return s }
      return String(node.content.map { Character(Unicode.Scalar($0)) })
    case DER.Tag.bmpString:
      var units: [UInt16] = []
      var i = node.content.startIndex
      while i + 1 < node.content.endIndex {
        units.append(UInt16(node.content[i]) << 8 | UInt16(node.content[i + 1]))
        i += 2
      }
      return String(decoding: units, as: UTF16.self)
    default:
      return "#" + Hex.string(node.content)
    }
  }
}

enum Hex {
  static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    let digits = Array("0123456789abcdef")
    var out = ""
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0x0F)])
    }
    return out
  }
}

/// UTCTime / GeneralizedTime to seconds since 1970, without Foundation (RFC 5280 §4.1.2.5: always "Z").
enum ASN1Time {
  static func seconds(_ node: DERNode) -> Int64? {
    let text = Array(node.content)
    let digits: Int
    switch node.tag {
    case DER.Tag.utcTime: digits = 12
    case DER.Tag.generalizedTime: digits = 14
    default: return nil
    }
    guard text.count >= digits + 1, text[digits] == UInt8(ascii: "Z"),
          text[0..<digits].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    func number(_ at: Int, _ count: Int) -> Int { text[at..<(at + count)].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
    var year: Int
    var at: Int
    if digits == 12 {
      let yy = number(0, 2)
      year = yy >= 50 ? 1900 + yy : 2000 + yy
      at = 2
    } else {
      year = number(0, 4)
      at = 4
    }
    let month = number(at, 2), day = number(at + 2, 2)
    let hour = number(at + 4, 2), minute = number(at + 6, 2), second = number(at + 8, 2)
    guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
    return Int64(daysFromCivil(year, month, day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
  }

  /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's civil-days algorithm).
  static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}
