import Foundation
import Testing
@testable import Credentials

/// Each failure set is reported with the right check id, as an error on the right file.
@Suite struct CheckFindingTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let set: String
    let target: TargetPlatform
    let endpoint: String?
    let check: CheckID
    let file: String?
    var testDescription: String { "\(set) → \(check.rawValue) (\(target.rawValue))" }
  }

  static let cases: [Case] = [
    Case(set: "rsa1024-ca", target: .espIDFMbedTLS3, endpoint: nil, check: .profileKey, file: "ca.pem"),
    Case(set: "rsa1024-ca", target: .espIDFMbedTLS2, endpoint: nil, check: .profileKey, file: "ca.pem"),
    Case(set: "rsa1024-ca", target: .esp32Arduino, endpoint: nil, check: .profileKey, file: "ca.pem"),
    Case(set: "sha1-signature", target: .espIDFMbedTLS3, endpoint: Fixtures.atsEndpoint, check: .profileHash, file: "cert.der"),
    Case(set: "expired", target: .esp8266BearSSL, endpoint: Fixtures.atsEndpoint, check: .validityExpired, file: "cert.der"),
    Case(set: "not-yet-valid", target: .esp8266BearSSL, endpoint: Fixtures.atsEndpoint, check: .validityNotYetValid, file: "cert.der"),
    Case(set: "mismatched-key", target: .esp8266BearSSL, endpoint: Fixtures.atsEndpoint, check: .keyMismatch, file: "private.der"),
    Case(set: "two-certs-der", target: .esp8266BearSSL, endpoint: Fixtures.atsEndpoint, check: .formatDERMultipleCerts, file: "cert.der"),
    Case(set: "encrypted-key", target: .esp8266BearSSL, endpoint: nil, check: .formatEncryptedKey, file: "private.pem.key"),
    Case(set: "encrypted-key", target: .esp8266BearSSL, endpoint: nil, check: .formatEncryptedKey, file: "private-pkcs8.pem"),
    Case(set: "encrypted-key", target: .esp8266BearSSL, endpoint: nil, check: .formatEncryptedKey, file: "private-pkcs8.der"),
    Case(set: "legacy-root", target: .esp8266BearSSL, endpoint: Fixtures.atsEndpoint, check: .knownBadFingerprint, file: "VeriSign-Class3-G5.pem"),
    Case(set: "legacy-root", target: .esp8266BearSSL, endpoint: Fixtures.atsEndpoint, check: .chainWrongAnchor, file: "VeriSign-Class3-G5.pem"),
    Case(set: "long-name", target: .esp8266BearSSL, endpoint: Fixtures.atsEndpoint, check: .fsNameTooLong, file: "a1b2c3d4e5f6a7b8c9d0-certificate.pem.crt"),
    Case(set: "secp256k1", target: .espIDFMbedTLS3, endpoint: Fixtures.atsEndpoint, check: .profileCurve, file: "cert.der"),
    Case(set: "secp256k1", target: .esp8266BearSSL, endpoint: Fixtures.atsEndpoint, check: .profileCurve, file: "cert.der"),
    Case(set: "good-ec", target: .esp8266AxTLS, endpoint: Fixtures.atsEndpoint, check: .profileAlgorithm, file: "cert.der"),
    Case(set: "good-aws", target: .esp32Arduino, endpoint: Fixtures.atsEndpoint, check: .formatDERForESP32, file: "cert.der"),
    Case(set: "good-aws", target: .esp8266AxTLS, endpoint: Fixtures.atsEndpoint, check: .formatPEMOnAxTLS, file: "AmazonRootCA1.pem"),
    // The device certificate's issuer shipped as if it were the server's root.
    Case(set: "rsa1024-ca", target: .esp8266BearSSL, endpoint: Fixtures.atsEndpoint, check: .chainWrongAnchor, file: "ca.pem"),
  ]

  @Test(arguments: cases)
  func failureSetIsReported(_ c: Case) throws {
    let findings = CredentialChecker.check(files: try Fixtures.set(c.set),
                                           options: CheckOptions(target: c.target, endpoint: c.endpoint, at: Fixtures.checkDate))
    let hit = findings.first { $0.check == c.check && $0.file == c.file }
    let finding = try #require(hit, "no \(c.check.rawValue) on \(c.file ?? "-"); got \(findings.filter { $0.severity != .info }.map { "\($0.check.rawValue)@\($0.file ?? "-")" })")
    #expect(finding.severity == .error)
    #expect(finding.fix?.isEmpty == false, "every error says how to fix it")
    #expect(finding.boardError?.isEmpty == false, "every error says what the board would report")
  }

  @Test func rsa1024AnchorNamesTheMbedTLSFlag() throws {
    let findings = CredentialChecker.check(files: try Fixtures.set("rsa1024-ca"),
                                           options: CheckOptions(target: .espIDFMbedTLS3, at: Fixtures.checkDate))
    let f = try #require(findings.first { $0.check == .profileKey })
    #expect(f.boardError?.contains("-0x2700") == true)
    #expect(f.boardError?.contains("BAD_KEY") == true)
  }

  @Test func rsa1024AnchorIsOnlyAWarningOnBearSSL() throws {
    // BearSSL does not size-check trust anchors (bearssl_x509.h); the other stacks do.
    let findings = CredentialChecker.check(files: try Fixtures.set("rsa1024-ca"),
                                           options: CheckOptions(target: .esp8266BearSSL, at: Fixtures.checkDate))
    #expect(findings.first { $0.check == .profileKey }?.severity == .warning)
    #expect(!findings.contains { $0.severity == .error })
  }

  @Test func sha1IsAWarningOnBearSSLAndAnErrorOnMbedTLS3() throws {
    let files = try Fixtures.set("sha1-signature")
    let bear = CredentialChecker.check(files: files, options: CheckOptions(target: .esp8266BearSSL, at: Fixtures.checkDate))
    let mbed = CredentialChecker.check(files: files, options: CheckOptions(target: .espIDFMbedTLS3, at: Fixtures.checkDate))
    #expect(bear.first { $0.check == .profileHash }?.severity == .warning)
    let error = try #require(mbed.first { $0.check == .profileHash })
    #expect(error.severity == .error)
    #expect(error.boardError?.contains("0x4000") == true)
  }

  @Test func atChangesTheValidityVerdict() throws {
    let files = try Fixtures.set("expired")
    let then = CredentialChecker.check(files: files, options: CheckOptions(at: Fixtures.date("2020-06-01")))
    #expect(!then.contains { $0.check == .validityExpired })
    let soon = CredentialChecker.check(files: files, options: CheckOptions(at: Fixtures.date("2020-12-20")))
    #expect(soon.first { $0.check == .validityExpiringSoon }?.severity == .warning)
    let later = CredentialChecker.check(files: try Fixtures.set("not-yet-valid"),
                                        options: CheckOptions(at: Fixtures.date("2091-01-01")))
    #expect(!later.contains { $0.check == .validityNotYetValid })
  }

  @Test func axTLSWarnsAboutDatesFrom2050() throws {
    // notAfter 2099 is GeneralizedTime (RFC 5280 §4.1.2.5); esp8266/Arduino#4004: axTLS read 2050 as 1913.
    let findings = CredentialChecker.check(files: try Fixtures.set("good-aws"), options: CheckOptions(target: .esp8266AxTLS, at: Fixtures.checkDate))
    #expect(findings.first { $0.check == .validityAxTLS2050 }?.file == "cert.der")
    let bear = CredentialChecker.check(files: try Fixtures.set("good-aws"), options: CheckOptions(target: .esp8266BearSSL, at: Fixtures.checkDate))
    #expect(!bear.contains { $0.check == .validityAxTLS2050 })
  }

  @Test func trailingGarbageIsFlaggedWithItsOffset() throws {
    let findings = CredentialChecker.check(files: try Fixtures.set("trailing-garbage"), options: CheckOptions(at: Fixtures.checkDate))
    let f = try #require(findings.first { $0.check == .formatTrailingData })
    #expect(f.file == "cert.der")
    #expect(f.message.contains("16 byte(s)"))
    #expect(f.message.contains("offset \(try Fixtures.bytes("good-aws/cert.der").count)"))
  }

  @Test func mosquittoOldCAIsKnownBadAndTheNewOneIsNot() throws {
    let old = try Fixtures.bytes("public-roots/mosquitto-org-ca-2012-rsa1024-sha1.pem")
    let new = try Fixtures.bytes("public-roots/mosquitto-org-ca-2020-rsa2048.pem")
    let options = CheckOptions(target: .espIDFMbedTLS3, endpoint: "test.mosquitto.org", at: Fixtures.date("2026-01-01"))
    let bad = CredentialChecker.check(files: [("mosquitto.org.crt", old)], options: options)
    #expect(bad.contains { $0.check == .knownBadFingerprint && $0.severity == .error })
    #expect(bad.contains { $0.check == .profileKey && $0.severity == .error })
    #expect(bad.contains { $0.check == .validityExpired })
    #expect(bad.contains { $0.check == .chainWrongAnchor })
    let good = CredentialChecker.check(files: [("mosquitto.org.crt", new)], options: options)
    #expect(!good.contains { $0.severity == .error }, "\(good.filter { $0.severity == .error })")
  }

  @Test func knownBadListIsInjectableAndMatchesByFingerprint() throws {
    // A stand-in: the test CA from issuers/, added to the list only here.
    let pem = String(decoding: try Fixtures.bytes("issuers/aws-standin-ca.pem"), as: UTF8.self)
    let der = try #require(Fixtures.pemBody(pem))
    let fingerprint = SHA256Hex.of([UInt8](der))
    let standIn = KnownAnchor(name: "stand-in bad root", certificateSHA256: fingerprint, kind: .knownBad, note: "test only")
    let files = [("ca.pem", Array(pem.utf8))]
    let without = CredentialChecker.check(files: files, options: CheckOptions(at: Fixtures.checkDate))
    #expect(!without.contains { $0.check == .knownBadFingerprint })
    let with = CredentialChecker.check(files: files, options: CheckOptions(at: Fixtures.checkDate, knownBad: [standIn]))
    #expect(with.contains { $0.check == .knownBadFingerprint && $0.message.contains(fingerprint) })
  }

  @Test func noAnchorIsAnErrorWhenTheEndpointIsKnown() throws {
    let files = try Fixtures.set("good-aws").filter { $0.path != "AmazonRootCA1.pem" }
    let findings = CredentialChecker.check(files: files, options: CheckOptions(endpoint: Fixtures.atsEndpoint, at: Fixtures.checkDate))
    #expect(findings.first { $0.check == .chainNoAnchor }?.severity == .error)
    let legacy = CredentialChecker.check(files: try Fixtures.set("good-aws"),
                                         options: CheckOptions(endpoint: "a1b2c3.iot.us-east-1.amazonaws.com", at: Fixtures.checkDate))
    #expect(legacy.contains { $0.check == .chainLegacyEndpoint })
  }
}

enum SHA256Hex {
  static func of(_ bytes: [UInt8]) -> String {
    // Through the library's Crypto dependency would be circular for the fingerprint; Foundation has no SHA-256,
    // so use swift-crypto directly (independent of the certificate parser under test).
    CryptoSHA.hex(bytes)
  }
}

@Suite struct FileRoleNameTests {
  @Test func caFileNamesAreWholeWords() throws {
    // "camera-cert.pem" starts with "ca" but is no CA file: no ca-is-device false alarm.
    let files = try Fixtures.set("cases/good-pem").map { (path: $0.path == "cert.pem.crt" ? "camera-cert.pem" : $0.path, bytes: $0.bytes) }
    let findings = CredentialChecker.check(files: files, options: CheckOptions(endpoint: Fixtures.atsEndpoint, at: Fixtures.checkDate))
    #expect(!findings.contains { $0.severity != .info }, "\(findings.filter { $0.severity != .info }.map(\.check.rawValue))")
    #expect(CheckContext.namedLikeCA("certs/broker-ca.crt") && CheckContext.namedLikeCA("AmazonRootCA1.pem") && CheckContext.namedLikeCA("ca.pem"))
    #expect(!CheckContext.namedLikeCA("camera-cert.pem") && !CheckContext.namedLikeCA("private.pem.key"))
  }
}
