internal import SwiftASN1

/// Why a conversion cannot be done. Carries the file name and counts a user needs.
public enum ConversionError: Error, CustomStringConvertible, Sendable, Equatable {
  case notACredential(file: String)
  case encryptedKey(file: String)
  case corruptKey(file: String)
  case pkcs12(file: String)
  case multipleObjects(file: String, count: Int)
  /// Several certificates (a chain) asked to become one DER file.
  case chainToDER(file: String, count: Int)
  case unsupported(file: String, what: String)
  case nameCollision(file: String, target: String)
  case badRename(String)

  public var description: String {
    switch self {
    case .notACredential(let f): "\(f): not a PEM or DER certificate or key"
    case .encryptedKey(let f): "\(f): the private key is encrypted; decrypt it first (`openssl pkey -in \(f) -out key.der -outform DER`)"
    case .corruptKey(let f): "\(f): the private key is corrupt (its numbers do not form a key); it cannot be converted"
    case .pkcs12(let f): "\(f): is a PKCS#12 bundle (certificate and key, encrypted with a passphrase); extract the parts with openssl: `openssl pkcs12 -in \(f) -clcerts -nokeys -out cert.pem` and `openssl pkcs12 -in \(f) -nocerts -nodes -out private.pem.key`"
    case .multipleObjects(let f, let n): "\(f): holds \(n) certificates/keys; a DER file holds exactly one"
    case .chainToDER(let f, let n): "\(f): holds \(n) certificates; a DER file holds exactly one (convert --to pem keeps the chain in one file)"
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
/// The input may be PEM as users paste it (byte-order mark, CRLF, indented lines, literal `\n`): the output
/// is always clean, so `convert x --to pem -o x` repairs such a file. Several certificates (a chain, or
/// `cat a.der b.der`) convert to one PEM file.
public enum CredentialConversion {
  public static func convert(_ bytes: [UInt8], name: String, to encoding: CredentialEncodingChoice,
                             pkcs8: Bool = false) throws(ConversionError) -> ConvertedCredential {
    let objects = try usefulObjects(bytes, name: name)
    if objects.count > 1 {
      let certificates = objects.compactMap { if case .certificate(let c) = $0.object { c } else { nil } }
      guard certificates.count == objects.count else { throw ConversionError.multipleObjects(file: name, count: objects.count) }
      guard encoding == .pem else { throw ConversionError.chainToDER(file: name, count: certificates.count) }
      let text = certificates.map { PEM.encode(label: "CERTIFICATE", der: $0.der) }.joined()
      return ConvertedCredential(bytes: Array(text.utf8), kind: "\(certificates.count) certificates", isPrivateKey: false)
    }
    let (object, der) = objects[0]
    switch object {
    case .certificate(let cert):
      return ConvertedCredential(bytes: output(cert.der, label: "CERTIFICATE", encoding), kind: "certificate", isPrivateKey: false)
    case .publicKey:
      return ConvertedCredential(bytes: output(der, label: "PUBLIC KEY", encoding), kind: "public key", isPrivateKey: false)
    case .certificateRequest:
      return ConvertedCredential(bytes: output(der, label: "CERTIFICATE REQUEST", encoding), kind: "certificate request", isPrivateKey: false)
    case .privateKey:
      let key = try KeyRewrap.normalize(der, name: name, pkcs8: pkcs8)
      return ConvertedCredential(bytes: output(key.der, label: key.label, encoding), kind: key.kind, isPrivateKey: true)
    case .encryptedPrivateKey: throw ConversionError.encryptedKey(file: name)
    case .corruptPrivateKey: throw ConversionError.corruptKey(file: name)
    case .pkcs12: throw ConversionError.pkcs12(file: name)
    case .ecParameters, .truncated, .unrecognized: throw ConversionError.unsupported(file: name, what: object.kindName)
    }
  }

  private static func output(_ der: [UInt8], label: String, _ encoding: CredentialEncodingChoice) -> [UInt8] {
    encoding == .der ? der : Array(PEM.encode(label: label, der: der).utf8)
  }

  /// The certificates and keys in a file with the DER of each (bytes after a DER object are dropped).
  static func usefulObjects(_ bytes: [UInt8], name: String) throws(ConversionError) -> [(object: CredentialObject, der: [UInt8])] {
    let file = CredentialFile.inspect(path: name, bytes: bytes)
    let ders: [[UInt8]]
    switch file.encoding {
    case .pem: ders = PEM.parse(bytes).blocks.map(\.der)
    case .der: ders = ASN1Nodes.split(bytes).objects.map { Array($0.encodedBytes) }
    case .empty, .other: throw ConversionError.notACredential(file: name)
    }
    let all = zip(file.objects, ders + Array(repeating: [], count: max(0, file.objects.count - ders.count)))
    if let truncated = file.objects.first(where: { if case .truncated = $0 { true } else { false } }) {
      throw ConversionError.unsupported(file: name, what: truncated.kindName + ": lines are missing")
    }
    let useful = all.filter { $0.0.isUseful }.map { (object: $0.0, der: $0.1) }
    guard !useful.isEmpty else { throw ConversionError.notACredential(file: name) }
    return useful
  }
}
