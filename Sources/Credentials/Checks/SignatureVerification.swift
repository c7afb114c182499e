import Crypto
import _CryptoExtras

/// Whether `issuer`'s key signed `child`. Our own dispatch rather than swift-certificates' verifier, because
/// the certificates worth diagnosing (RSA-1024 signers, SHA-1) are the ones it refuses to load.
enum SignatureCheck: Equatable {
  case valid
  case invalid
  case notChecked(String)

  static func verify(_ child: ParsedCertificate, signedBy issuer: ParsedCertificate) -> SignatureCheck {
    let tbs = child.tbs
    let algorithm = child.signatureAlgorithm
    switch (algorithm.kind, issuer.publicKey) {
    case (.rsaPKCS1, .rsa(let bits, _, _)):
      guard bits >= 1024, let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: issuer.spkiDER) else {
        return .notChecked("RSA-\(bits) signer key is outside what swift-crypto verifies")
      }
      let signature = _RSA.Signing.RSASignature(rawRepresentation: child.signature)
      let ok: Bool
      switch algorithm.hash {
      case .sha1: ok = key.isValidSignature(signature, for: Insecure.SHA1.hash(data: tbs), padding: .insecurePKCS1v1_5)
      case .sha256: ok = key.isValidSignature(signature, for: SHA256.hash(data: tbs), padding: .insecurePKCS1v1_5)
      case .sha384: ok = key.isValidSignature(signature, for: SHA384.hash(data: tbs), padding: .insecurePKCS1v1_5)
      case .sha512: ok = key.isValidSignature(signature, for: SHA512.hash(data: tbs), padding: .insecurePKCS1v1_5)
      default: return .notChecked("\(algorithm.name) is not verified here")
      }
      return ok ? .valid : .invalid
    case (.ecdsa, .ec(let curve, _, let point)):
      return verifyECDSA(curve: curve, point: point, hash: algorithm.hash, signature: child.signature, data: tbs)
    case (.ed25519, .ed25519(let raw)):
      guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return .invalid }
      return key.isValidSignature(child.signature, for: tbs) ? .valid : .invalid
    case (.unknown, _), (.rsaPSS, _):
      return .notChecked("\(algorithm.name) is not verified here")
    default:
      return .invalid  // the algorithm does not even fit the issuer's key type
    }
  }

  private static func verifyECDSA(curve: NamedCurve, point: [UInt8], hash: SignatureHash, signature: [UInt8],
                                  data: [UInt8]) -> SignatureCheck {
    func check<D: Digest>(_ digest: D) -> SignatureCheck {
      switch curve {
      case .p256:
        guard let key = try? P256.Signing.PublicKey(x963Representation: point),
              let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return .invalid }
        return key.isValidSignature(sig, for: digest) ? .valid : .invalid
      case .p384:
        guard let key = try? P384.Signing.PublicKey(x963Representation: point),
              let sig = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return .invalid }
        return key.isValidSignature(sig, for: digest) ? .valid : .invalid
      case .p521:
        guard let key = try? P521.Signing.PublicKey(x963Representation: point),
              let sig = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return .invalid }
        return key.isValidSignature(sig, for: digest) ? .valid : .invalid
      default:
        return .notChecked("ECDSA on \(curve.rawValue) is not verified here")
      }
    }
    switch hash {
    case .sha1: return check(Insecure.SHA1.hash(data: data))
    case .sha256: return check(SHA256.hash(data: data))
    case .sha384: return check(SHA384.hash(data: data))
    case .sha512: return check(SHA512.hash(data: data))
    default: return .notChecked("ecdsa-with-\(hash.rawValue) is not verified here")
    }
  }
}
