import Foundation
import Testing
@testable import Credentials

/// Conversions are byte-identical to what openssl 3.0 wrote for the same input (testdata/credentials/conversion).
@Suite struct ConversionTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let input: String
    let to: CredentialEncodingChoice
    let pkcs8: Bool
    let expected: String
    var testDescription: String { "\(input) → \(to.rawValue)\(pkcs8 ? " pkcs8" : "") = \(expected)" }
  }

  static let cases: [Case] = [
    Case(input: "cert.pem", to: .der, pkcs8: false, expected: "expected-cert.der"),
    Case(input: "rsa-pkcs1.pem", to: .der, pkcs8: false, expected: "expected-rsa-pkcs1-from-pkcs1.der"),
    Case(input: "rsa-pkcs8.pem", to: .der, pkcs8: false, expected: "expected-rsa-pkcs1-from-pkcs8.der"),
    Case(input: "rsa-pkcs8.pem", to: .der, pkcs8: true, expected: "expected-rsa-openssl3-default.der"),
    Case(input: "rsa-pkcs1.pem", to: .der, pkcs8: true, expected: "expected-rsa-pkcs8.der"),
    Case(input: "ec-sec1.pem", to: .der, pkcs8: false, expected: "expected-ec-sec1-from-sec1.der"),
    Case(input: "ec-pkcs8.pem", to: .der, pkcs8: false, expected: "expected-ec-sec1-from-pkcs8.der"),
    Case(input: "ec-sec1.pem", to: .der, pkcs8: true, expected: "expected-ec-pkcs8.der"),
    Case(input: "ec-pkcs8.pem", to: .der, pkcs8: true, expected: "expected-ec-pkcs8.der"),
    Case(input: "expected-cert.der", to: .pem, pkcs8: false, expected: "expected-cert-from-der.pem"),
    Case(input: "expected-rsa-pkcs1-from-pkcs1.der", to: .pem, pkcs8: false, expected: "expected-rsa-pkcs1-from-der.pem"),
    Case(input: "expected-ec-sec1-from-sec1.der", to: .pem, pkcs8: false, expected: "expected-ec-sec1-from-der.pem"),
    Case(input: "expected-rsa-pkcs1-from-pkcs1.der", to: .pem, pkcs8: true, expected: "expected-rsa-pkcs8-from-der.pem"),
    Case(input: "expected-rsa-pkcs8.der", to: .pem, pkcs8: true, expected: "expected-rsa-pkcs8-from-der.pem"),
  ]

  @Test(arguments: cases)
  func matchesOpenSSL(_ c: Case) throws {
    let input = try Fixtures.bytes("conversion/\(c.input)")
    let expected = try Fixtures.bytes("conversion/\(c.expected)")
    let out = try CredentialConversion.convert(input, name: c.input, to: c.to, pkcs8: c.pkcs8)
    #expect(out.bytes == expected)
  }

  @Test func ecKeyWithoutPublicPointGetsItDerivedLikeOpenSSL() throws {
    // Strip the [1] public key from openssl's SEC1 output; converting must put the same point back.
    // openssl's P-256 SEC1 layout: 30 77 | 02 01 01 | 04 20 <scalar> | a0 0a <curve OID> | a1 44 <point>.
    let full = try Fixtures.bytes("conversion/expected-ec-sec1-from-sec1.der")
    try #require(full.count == 0x79 && full[0] == 0x30 && full[1] == 0x77 && full[0x33] == 0xA1)
    let stripped: [UInt8] = [0x30, 0x31] + full[2..<0x33]
    let out = try CredentialConversion.convert(stripped, name: "k.der", to: .der)
    #expect(out.bytes == full)
  }

  @Test func refusesWhatCannotBeOneDERFile() throws {
    #expect(throws: ConversionError.encryptedKey(file: "k.pem")) {
      try CredentialConversion.convert(try Fixtures.bytes("encrypted-key/private-pkcs8.pem"), name: "k.pem", to: .der)
    }
    let chain = try Fixtures.bytes("conversion/cert.pem") + Fixtures.bytes("public-roots/Amazon_Root_CA_1.pem")
    #expect(throws: ConversionError.chainToDER(file: "chain.pem", count: 2)) {
      try CredentialConversion.convert(chain, name: "chain.pem", to: .der)
    }
    #expect(throws: ConversionError.notACredential(file: "x")) {
      try CredentialConversion.convert(Array("hello".utf8), name: "x", to: .der)
    }
  }

  @Test func convertForImageTurnsPEMIntoDER() throws {
    let files = try Fixtures.set("good-pem-crlf").map { (name: $0.path, bytes: $0.bytes) } + [(name: "index.html", bytes: Array("<p>".utf8))]
    let out = try DERConversion.convertForImage(files: files, renames: ["AmazonRootCA1.pem": "ca.der"])
    let byName = Dictionary(uniqueKeysWithValues: out.map { ($0.name, $0) })
    #expect(Set(byName.keys) == ["ca.der", "cert.der", "private.der", "index.html"])
    #expect(byName["cert.der"]?.bytes == (try Fixtures.bytes("good-aws/cert.der")))
    #expect(byName["cert.der"]?.convertedFrom == "cert.pem.crt")
    #expect(byName["private.der"]?.bytes == (try Fixtures.bytes("good-aws/private.der")))
    #expect(byName["index.html"]?.convertedFrom == nil)
    #expect(byName["index.html"]?.bytes == Array("<p>".utf8))
  }

  @Test func convertForImageRefusesCollisionsAndEncryptedKeys() throws {
    let pem = try Fixtures.bytes("conversion/cert.pem")
    #expect(throws: ConversionError.self) {
      try DERConversion.convertForImage(files: [("cert.pem", pem), ("cert.der", [1, 2, 3])], renames: [:])
    }
    #expect(throws: ConversionError.encryptedKey(file: "k.pem")) {
      try DERConversion.convertForImage(files: [("k.pem", try Fixtures.bytes("encrypted-key/private-pkcs8.pem"))], renames: [:])
    }
    #expect(DERConversion.derName(for: "a1b2-certificate.pem.crt") == "a1b2-certificate.der")
    #expect(DERConversion.derName(for: "certs/private.pem.key") == "certs/private.der")
    #expect(DERConversion.derName(for: ".pem") == ".pem.der")
    #expect(try DERConversion.parseRenames(["a.pem=b.der"]) == ["a.pem": "b.der"])
    #expect(throws: ConversionError.badRename("nope")) { try DERConversion.parseRenames(["nope"]) }
  }
}
