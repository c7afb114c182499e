import Foundation
import Testing
import TestSupport

/// Runs the built `espflash-swift` for the certs commands and checks exit codes and outputs.
@Suite struct CertsCLITests {
  static let credentials = Repository.testdata("credentials")

  struct Result { let status: Int32; let stdout: String; let stderr: String; let stdoutBytes: [UInt8] }

  func run(_ args: [String], in dir: URL? = nil) throws -> Result {
    let run = try ProcessRun.run(BuiltCLI.binary, args, directory: dir ?? Self.credentials)
    return Result(status: run.status, stdout: run.stdoutText, stderr: run.stderrText, stdoutBytes: [UInt8](run.stdout))
  }

  let ats = ["--endpoint", "abc123-ats.iot.us-east-1.amazonaws.com", "--at", "2030-06-01"]

  @Test func goodSetExitsZero() throws {
    let r = try run(["certs", "check", "good-aws"] + ats)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("0 error(s)"))
    #expect(r.stdout.contains("AmazonRootCA1.pem\n"))  // grouped by file
  }

  @Test(arguments: ["expired", "mismatched-key", "two-certs-der", "encrypted-key", "legacy-root", "long-name"])
  func failureSetExits65(set: String) throws {
    let r = try run(["certs", "check", set] + ats)
    #expect(r.status == 65, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("error"))
    #expect(r.stdout.contains("fix:"))
  }

  @Test func missingPathExits66() throws {
    let r = try run(["certs", "check", "no-such-folder"])
    #expect(r.status == 66)
    #expect(r.stderr.contains("no-such-folder"))
  }

  @Test func jsonIsMachineReadableAndLeaksNoKey() throws {
    let r = try run(["certs", "check", "mismatched-key", "sketches/aws_legacy.ino", "--json", "--target", "esp-idf-mbedtls3"] + ats)
    #expect(r.status == 65)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(findings.contains { $0["check"] as? String == "key.mismatch" && $0["severity"] as? String == "error" && $0["file"] as? String == "private.der" })
    #expect(findings.contains { $0["check"] as? String == "sketch.missing-file" })
    #expect(object["target"] as? String == "esp-idf-mbedtls3")
    #expect((object["errors"] as? Int ?? 0) >= 1)
    let key = [UInt8](try Data(contentsOf: Self.credentials.appendingPathComponent("mismatched-key/private.der")))
    for offset in stride(from: 64, to: key.count - 16, by: 64) {
      let hex = key[offset..<(offset + 12)].map { String(format: "%02x", $0) }.joined()
      #expect(!r.stdout.lowercased().contains(hex))
    }
    #expect(!r.stdout.contains(Data(key[200..<230]).base64EncodedString()))
  }

  @Test func badTargetIsAUsageError() throws {
    let r = try run(["certs", "check", "good-aws", "--target", "esp9000"])
    #expect(r.status == 64)
  }

  @Test func convertWritesOpenSSLBytesAtomically() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("certs-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = Self.credentials.appendingPathComponent("conversion/rsa-pkcs8.pem").path
    let out = dir.appendingPathComponent("private.der").path
    let r = try run(["certs", "convert", input, "-o", out])
    #expect(r.status == 0, "\(r.stderr)")
    let expected = try Data(contentsOf: Self.credentials.appendingPathComponent("conversion/expected-rsa-pkcs1-from-pkcs8.der"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == expected)
    // Overwrite in place with PKCS#8 and check no temp files are left behind.
    let again = try run(["certs", "convert", input, "-o", out, "--pkcs8"])
    #expect(again.status == 0)
    let pkcs8 = try Data(contentsOf: Self.credentials.appendingPathComponent("conversion/expected-rsa-pkcs8.der"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == pkcs8)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["private.der"])
    // DER → PEM to stdout.
    let pem = try run(["certs", "convert", Self.credentials.appendingPathComponent("conversion/expected-cert.der").path, "--to", "pem", "-o", "-"])
    #expect(pem.stdoutBytes == [UInt8](try Data(contentsOf: Self.credentials.appendingPathComponent("conversion/expected-cert-from-der.pem"))))
  }

  @Test func convertRefusesEncryptedKeysWithExit65() throws {
    let r = try run(["certs", "convert", "encrypted-key/private-pkcs8.pem", "-o", "-"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("encrypted"))
  }

  @Test func headerWarnsAboutPrivateKeysOnStderr() throws {
    let r = try run(["certs", "header", "good-aws/cert.der", "good-aws/private.der", "--progmem"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("static const uint8_t cert_der[] PROGMEM = {"))
    #expect(r.stdout.contains("cert_der_len"))
    #expect(r.stderr.contains("PRIVATE KEY"))
    let clean = try run(["certs", "header", "good-aws/cert.der"])
    #expect(clean.stderr.isEmpty)
  }
}
