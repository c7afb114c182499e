import Foundation
import Testing
@testable import Credentials

@Suite struct GoodSetTests {
  static let goodSets = ["good-aws", "good-pem-crlf", "good-ec"]

  @Test(arguments: goodSets, [TargetPlatform.esp8266BearSSL, .espIDFMbedTLS2, .espIDFMbedTLS3])
  func goodSetHasNoErrors(set: String, target: TargetPlatform) throws {
    let findings = CredentialChecker.check(files: try Fixtures.set(set),
                                           options: CheckOptions(target: target, endpoint: Fixtures.atsEndpoint, at: Fixtures.checkDate))
    let problems = findings.filter { $0.severity != .info }
    #expect(problems.isEmpty, "\(problems.map { "\($0.check.rawValue): \($0.message)" })")
    // And it says what each file is for.
    #expect(findings.contains { $0.check == .keyMatch })
    #expect(findings.contains { $0.check == .chainRoles && $0.message.contains("SERVER") })
    #expect(findings.contains { $0.check == .chainRoles && $0.message.contains("right anchor") })
  }

  @Test func crlfFileIsParsedAndNoted() throws {
    let file = CredentialFile.inspect(path: "cert.pem.crt", bytes: try Fixtures.bytes("good-pem-crlf/cert.pem.crt"))
    #expect(file.usesCRLF)
    #expect(file.certificates.count == 1)
    #expect(file.pemProblems.isEmpty)
    let der = try Fixtures.bytes("good-aws/cert.der")
    #expect(file.certificates.first?.der == der)
  }
}

/// Private key material never appears in anything `certs check` produces.
@Suite struct PrivacyTests {
  static let setsWithKeys = ["good-aws", "good-pem-crlf", "good-ec", "mismatched-key", "secp256k1", "long-name", "rsa1024-ca",
                                   "cases/good-pem", "cases/ec-parameters", "cases/swapped-pem", "cases/pkcs8-in-rsa-header",
                                   "cases/two-keys-first-wrong", "cases/rsa-pss", "cases/ed25519", "cases/literal-newlines"]

  /// Windows of the key file, as hex, base64 and raw text, that must not occur in output.
  static func secrets(of bytes: [UInt8]) -> [String] {
    var out: [String] = []
    let file = CredentialFile.inspect(path: "k", bytes: bytes)
    var der = bytes
    if file.encoding == .pem, let block = PEM.parse(bytes).blocks.first { der = block.der }
    // Skip the first 40 bytes (version, public modulus start); private fields follow.
    var offset = 40
    while offset + 12 <= der.count {
      let window = Array(der[offset..<(offset + 12)])
      out.append(window.map { String(format: "%02x", $0) }.joined())
      out.append(window.map { String(format: "%02X", $0) }.joined())
      offset += 24
    }
    for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) where !line.hasPrefix("-----") && line.count > 20 {
      out.append(String(line.prefix(20)))
    }
    return out
  }

  @Test(arguments: setsWithKeys)
  func keyBytesNeverInFindings(set: String) throws {
    let files = try Fixtures.set(set)
    var text = ""
    for target in TargetPlatform.allCases {
      let findings = CredentialChecker.check(files: files, options: CheckOptions(target: target, endpoint: Fixtures.atsEndpoint, at: Fixtures.checkDate))
      for f in findings { text += [f.message, f.boardError ?? "", f.fix ?? ""].joined(separator: "\n") }
      let json = try JSONEncoder().encode(findings)
      text += String(decoding: json, as: UTF8.self)
    }
    let keys = files.filter { CredentialFile.inspect(path: $0.path, bytes: $0.bytes).privateKeys.count > 0 }
    try #require(!keys.isEmpty)
    for key in keys {
      for secret in Self.secrets(of: key.bytes) {
        #expect(!text.contains(secret), "\(key.path): key material \(secret) leaked")
      }
    }
  }

  @Test func parsedKeyDescriptionHoldsNoPrivateFields() throws {
    let key = try #require(ParsedPrivateKey(der: try Fixtures.bytes("good-aws/private.der")[...]))
    let mirror = String(describing: key)
    for secret in Self.secrets(of: try Fixtures.bytes("good-aws/private.der")) {
      #expect(!mirror.contains(secret))
    }
  }
}
