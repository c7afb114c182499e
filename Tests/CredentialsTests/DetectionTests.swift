import Foundation
import Testing
import TestSupport
@testable import Credentials

@Suite struct DetectionTests {
  @Test func keyFormatsAreRecognised() throws {
    let cases: [(String, PrivateKeyFormat, String)] = [
      ("conversion/rsa-pkcs1.pem", .pkcs1, "RSA-2048"),
      ("conversion/rsa-pkcs8.pem", .pkcs8, "RSA-2048"),
      ("conversion/ec-sec1.pem", .sec1, "EC P-256"),
      ("conversion/ec-pkcs8.pem", .pkcs8, "EC P-256"),
      ("good-aws/private.der", .pkcs1, "RSA-2048"),
      ("good-ec/private.der", .sec1, "EC P-256"),
      ("conversion/expected-rsa-pkcs8.der", .pkcs8, "RSA-2048"),
    ]
    for (path, format, summary) in cases {
      let file = CredentialFile.inspect(path: path, bytes: try Fixtures.bytes(path))
      let key = try #require(file.privateKeys.first, "\(path)")
      #expect(key.format == format, "\(path)")
      #expect(key.summary == summary, "\(path)")
    }
  }

  @Test func encryptedKeysAreRecognisedInAllThreeStyles() throws {
    let expected: [(String, EncryptedKeyStyle, CredentialEncoding)] = [
      ("encrypted-key/private.pem.key", .legacyPEM, .pem),
      ("encrypted-key/private-pkcs8.pem", .pkcs8, .pem),
      ("encrypted-key/private-pkcs8.der", .pkcs8, .der),
    ]
    for (path, style, encoding) in expected {
      let file = CredentialFile.inspect(path: path, bytes: try Fixtures.bytes(path))
      #expect(file.encoding == encoding)
      guard case .encryptedPrivateKey(let found)? = file.objects.first else {
        Issue.record("\(path): \(file.objects.map(\.kindName))")
        continue
      }
      #expect(found == style)
    }
  }

  @Test func twoDERCertificatesAndTrailingBytes() throws {
    let two = CredentialFile.inspect(path: "cert.der", bytes: try Fixtures.bytes("two-certs-der/cert.der"))
    #expect(two.encoding == .der)
    #expect(two.certificates.count == 2)
    #expect(two.trailingBytes == 0)
    let tail = CredentialFile.inspect(path: "cert.der", bytes: try Fixtures.bytes("trailing-garbage/cert.der"))
    #expect(tail.certificates.count == 1)
    #expect(tail.trailingBytes == 16)
  }

  @Test func certificateFieldsMatchOpenSSL() throws {
    // Values from `openssl x509 -noout -dates -subject` on the fixture (testdata/credentials/README.md).
    let cert = try #require(CredentialFile.inspect(path: "c", bytes: try Fixtures.bytes("expired/cert.der")).certificates.first)
    #expect(CheckContext.day(cert.notBefore) == "2020-01-01")
    #expect(CheckContext.day(cert.notAfter) == "2021-01-01")
    #expect(cert.subject.commonName == "AWS IoT Certificate")
    #expect(cert.extendedKeyUsage == ["1.3.6.1.5.5.7.3.2"])
    #expect(cert.hasKeyUsage(.digitalSignature))
    #expect(cert.isCA == false)
    let root = try #require(CredentialFile.inspect(path: "r", bytes: try Fixtures.bytes("public-roots/Amazon_Root_CA_1.pem")).certificates.first)
    #expect(root.sha256Fingerprint == "8ecde6884f3d87b1125ba31ac3fcb13d7016de7f57cc904fe1cb97c6ae98196e")
    #expect(CheckContext.day(root.notAfter) == "2038-01-17")
    let old = try #require(CredentialFile.inspect(path: "m", bytes: try Fixtures.bytes("public-roots/mosquitto-org-ca-2012-rsa1024-sha1.pem")).certificates.first)
    #expect(old.publicKey.summary == "RSA-1024")
    #expect(old.signatureAlgorithm.hash == .sha1)
  }

  @Test func signaturesVerifyAcrossAlgorithms() throws {
    let standIn = try #require(CredentialFile.inspect(path: "i", bytes: try Fixtures.bytes("issuers/aws-standin-ca.pem")).certificates.first)
    for set in ["good-aws", "sha1-signature", "good-ec", "secp256k1"] {
      let cert = try #require(CredentialFile.inspect(path: "c", bytes: try Fixtures.bytes("\(set)/cert.der")).certificates.first)
      #expect(SignatureCheck.verify(cert, signedBy: standIn) == .valid, "\(set)")
    }
    let rsa1024 = try #require(CredentialFile.inspect(path: "i", bytes: try Fixtures.bytes("issuers/rsa1024-ca.pem")).certificates.first)
    let device = try #require(CredentialFile.inspect(path: "c", bytes: try Fixtures.bytes("rsa1024-ca/cert.der")).certificates.first)
    #expect(SignatureCheck.verify(device, signedBy: rsa1024) == .valid)
    #expect(SignatureCheck.verify(device, signedBy: standIn) == .invalid)
    for name in ["Amazon_Root_CA_1", "Amazon_Root_CA_3", "Amazon_Root_CA_4"] {
      let root = try #require(CredentialFile.inspect(path: name, bytes: try Fixtures.bytes("public-roots/\(name).pem")).certificates.first)
      #expect(SignatureCheck.verify(root, signedBy: root) == .valid, "\(name)")
    }
  }

  @Test func pemTextDefectsAreNamed() throws {
    let clean = try Fixtures.bytes("cases/good-pem/cert.pem.crt")
    let cases: [(String, (PEMTextDefects) -> Bool)] = [
      ("cases/bom/cert.pem.crt", { $0.byteOrderMark }),
      ("cases/indented/cert.pem.crt", { $0.indentedLine == 1 }),
      ("cases/literal-newlines/cert.pem.crt", { $0.literalNewlines }),
      ("cases/text-before-block/cert.pem.crt", { $0.textBeforeFirstBlock }),
      ("good-pem-crlf/cert.pem.crt", { $0.crlf }),
    ]
    let expected = CredentialFile.inspect(path: "c", bytes: clean).certificates.first?.der
    for (path, hasDefect) in cases {
      let file = CredentialFile.inspect(path: path, bytes: try Fixtures.bytes(path))
      #expect(hasDefect(file.defects), "\(path): \(file.defects)")
      // The scanner reads through every defect, so conversion can write the clean file.
      #expect(file.certificates.first?.der == expected || path.hasPrefix("good-pem-crlf"), "\(path)")
    }
    #expect(CredentialFile.inspect(path: "c", bytes: clean).defects == PEMTextDefects())
  }

  @Test func librariesParseWhatTheyAcceptAndTheDiagnosisNamesTheRest() throws {
    let good = try #require(CredentialFile.inspect(path: "c", bytes: try Fixtures.bytes("good-aws/cert.der")).certificates.first)
    #expect(good.acceptedByLibrary && good.libraryRejection == nil)
    for path in ["public-roots/mosquitto-org-ca-2012-rsa1024-sha1.pem", "secp256k1/cert.der", "cases/rsa-pss/cert.pem.crt"] {
      let cert = try #require(CredentialFile.inspect(path: path, bytes: try Fixtures.bytes(path)).certificates.first, "\(path)")
      #expect(!cert.acceptedByLibrary && cert.libraryRejection != nil, "\(path) is refused by swift-certificates and still described")
    }
    let corrupt = CredentialFile.inspect(path: "k", bytes: try Fixtures.bytes("cases/corrupt-key/private.der"))
    guard case .corruptPrivateKey(.pkcs1, _)? = corrupt.objects.first else {
      Issue.record("corrupt key read as \(corrupt.objects.map(\.kindName))")
      return
    }
  }

  /// Truncated, bit-flipped and random inputs never crash or hang the detector or the checks.
  @Test func mutatedInputsNeverCrash() throws {
    let seed: UInt64 = 20261122
    var rng = SplitMix64(seed: seed)
    let sources = try ["good-aws/cert.der", "good-aws/private.der", "good-pem-crlf/cert.pem.crt", "encrypted-key/private-pkcs8.der",
                       "good-ec/private.der", "two-certs-der/cert.der"].map(Fixtures.bytes)
    for round in 0..<400 {
      var bytes = sources[round % sources.count]
      switch round % 3 {
      case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
      case 1:
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
          let i = Int.random(in: 0..<bytes.count, using: &rng)
          bytes[i] ^= UInt8.random(in: 1...255, using: &rng)
        }
      default: bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
      }
      let findings = CredentialChecker.check(files: [("x.der", bytes)], options: CheckOptions(target: .espIDFMbedTLS3, at: Fixtures.checkDate))
      #expect(!findings.isEmpty, "seed \(seed) round \(round)")
    }
  }

  @Test func deepNestingIsBounded() {
    // 2000 nested definite-length SEQUENCEs: the parsers walk fixed paths, never recurse on input.
    var bytes: [UInt8] = [0x05, 0x00]
    for _ in 0..<2000 {
      let n = bytes.count
      bytes = [0x30] + (n < 0x80 ? [UInt8(n)] : n < 0x100 ? [0x81, UInt8(n)] : [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]) + bytes
    }
    let file = CredentialFile.inspect(path: "deep.der", bytes: bytes)
    #expect(file.objects.isEmpty)
  }

  @Test func looksLikeCredential() throws {
    #expect(CredentialChecker.looksLikeCredential(name: "cert.bin", bytes: try Fixtures.bytes("good-aws/cert.der")))
    #expect(CredentialChecker.looksLikeCredential(name: "x.key", bytes: []))
    #expect(!CredentialChecker.looksLikeCredential(name: "index.html", bytes: Array("<html></html>".utf8)))
  }
}
