import Crypto
internal import X509
import _CryptoExtras

/// Whether `issuer`'s key signed `child`. swift-certificates verifies when it accepts both certificates; the
/// certificates worth diagnosing (RSA-1024 signers such as the old mosquitto.org CA) are the ones it refuses,
/// so those go to swift-crypto directly with the issuer's SubjectPublicKeyInfo.
enum SignatureCheck: Equatable {
  case valid
  case invalid
  case notChecked(String)

  static func verify(_ child: ParsedCertificate, signedBy issuer: ParsedCertificate) -> SignatureCheck {
    if let c = child.x509, let i = issuer.x509 {
      return i.publicKey.isValidSignature(c.signature, for: c) ? .valid : .invalid
    }
    let algorithm = child.signatureAlgorithm
    let data = child.tbs
    switch (algorithm.kind, issuer.publicKey) {
    case (.rsaPKCS1, .rsa(let bits, _, _)):
      guard bits >= 1024, let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: issuer.spkiDER) else {
        return .notChecked("RSA-\(bits) signer key is outside what swift-crypto verifies")
      }
      let signature = _RSA.Signing.RSASignature(rawRepresentation: child.signature)
      func ok<D: Digest>(_ digest: D) -> SignatureCheck {
        key.isValidSignature(signature, for: digest, padding: .insecurePKCS1v1_5) ? .valid : .invalid
      }
      switch algorithm.hash {
      case .sha1: return ok(Insecure.SHA1.hash(data: data))
      case .sha256: return ok(SHA256.hash(data: data))
      case .sha384: return ok(SHA384.hash(data: data))
      case .sha512: return ok(SHA512.hash(data: data))
      default: return .notChecked("\(algorithm.name) is not verified here")
      }
    case (.ecdsa, .ec(let curve, _, let point)):
      return verifyECDSA(curve: curve, point: point, hash: algorithm.hash, signature: child.signature, data: data)
    case (.unknown, _), (.rsaPSS, _), (.ed25519, _):
      return .notChecked("\(algorithm.name) is not verified here")
    default:
      return .invalid  // the algorithm does not even fit the issuer's key type
    }
  }
}

extension SignatureCheck {
  private static func verifyECDSA(curve: NamedCurve, point: [UInt8], hash: SignatureHash, signature: [UInt8],
                                  data: [UInt8]) -> SignatureCheck {
    func check<D: Digest>(_ digest: D) -> SignatureCheck {
      let ok: Bool?
      switch curve {
      case .p256: ok = (try? P256.Signing.PublicKey(x963Representation: point)).flatMap { key in
          (try? P256.Signing.ECDSASignature(derRepresentation: signature)).map { key.isValidSignature($0, for: digest) } }
      case .p384: ok = (try? P384.Signing.PublicKey(x963Representation: point)).flatMap { key in
          (try? P384.Signing.ECDSASignature(derRepresentation: signature)).map { key.isValidSignature($0, for: digest) } }
      case .p521: ok = (try? P521.Signing.PublicKey(x963Representation: point)).flatMap { key in
          (try? P521.Signing.ECDSASignature(derRepresentation: signature)).map { key.isValidSignature($0, for: digest) } }
      default: return .notChecked("ECDSA on \(curve.rawValue) is not verified here")
      }
      return ok == true ? .valid : .invalid
    }
    switch hash {
    case .sha256: return check(SHA256.hash(data: data))
    case .sha384: return check(SHA384.hash(data: data))
    case .sha512: return check(SHA512.hash(data: data))
    default: return .notChecked("ecdsa-with-\(hash.rawValue) is not verified here")
    }
  }
}
