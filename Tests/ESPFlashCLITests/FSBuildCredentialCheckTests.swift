import Foundation
import Testing

/// `fs build` runs `certs check` on the credentials it stores: errors stop it before any image exists,
/// `--no-cert-check` overrides, warnings are printed, key material never is.
@Suite struct FSBuildCredentialCheckTests {
  typealias S = FSTestSupport
  typealias C = CredentialFixtures

  /// Runs a build into `folder/out.bin` and checks that a refused build left nothing behind.
  private func build(_ data: URL, _ folder: URL, _ extra: [String], layout: String = "4M1M") throws -> FSTestSupport.Run {
    let out = folder.appendingPathComponent("out.bin").path
    try? FileManager.default.removeItem(atPath: out)
    let run = try S.run(["fs", "build", data.path, "-o", out, "--layout", layout] + extra)
    if run.status != 0 {
      #expect(!FileManager.default.fileExists(atPath: out))
      #expect(try C.leftovers(folder, except: []) == [], "temp files left behind")
    }
    return run
  }

  @Test func anExpiredCertificateStopsTheBuildWithTheFindings() throws {
    let (folder, data) = try C.dataFolder(["expired/cert.der", "expired/private.der", "expired/AmazonRootCA1.pem"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try build(data, folder, [])
    #expect(run.status == 65, "\(run.stderr)")
    #expect(run.stderr.contains("[validity.expired]"))
    #expect(run.stderr.contains("target esp8266-bearssl"))
    #expect(run.stderr.contains("no image was written"))
    #expect(run.stderr.contains("--no-cert-check"))
    #expect(run.stdout.isEmpty)

    let anyway = try build(data, folder, ["--no-cert-check"])
    #expect(anyway.status == 0, "\(anyway.stderr)")
    #expect(!anyway.stderr.contains("[validity.expired]"))
    let files = try C.imageFiles(folder.appendingPathComponent("out.bin").path, layout: "4M1M")
    #expect(files["/cert.der"] == (try C.bytes("expired/cert.der")))
  }

  @Test(arguments: [[String](), ["--der"]])
  func encryptedKeysStopTheBuildWithAndWithoutDER(_ extra: [String]) throws {
    let (folder, data) = try C.dataFolder(["encrypted-key/cert.der", "encrypted-key/private.pem.key",
                                           "encrypted-key/private-pkcs8.pem", "encrypted-key/private-pkcs8.der",
                                           "good-aws/AmazonRootCA1.pem"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let before = try C.snapshot(data)
    let run = try build(data, folder, extra)
    #expect(run.status == 65, "\(run.stderr)")
    for name in ["private.pem.key", "private-pkcs8.pem", "private-pkcs8.der"] {
      #expect(run.stderr.contains("\(name)\n  error   [format.encrypted-key]"), "\(name): \(run.stderr)")
    }
    #expect(try C.snapshot(data) == before)
    try expectNoKeyMaterial(run, keys: ["encrypted-key/private.pem.key", "encrypted-key/private-pkcs8.pem"])
  }

  @Test func warningsArePrintedAndTheBuildGoesOn() throws {
    // A device certificate and key without a root CA: chain.no-anchor is a warning.
    let (folder, data) = try C.dataFolder(["good-aws/cert.der", "good-aws/private.der"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try build(data, folder, [])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("warning [chain.no-anchor]"), "\(run.stderr)")
    #expect(run.stderr.contains("0 error(s), 1 warning(s)"))
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.bin").path))
    #expect(run.stderr.contains("[SPIFFS] used    : 2 files"))
  }

  @Test func theTargetFollowsTheLayoutAndCanBeOverridden() throws {
    let (folder, data) = try C.dataFolder(["good-pem-crlf/cert.pem.crt", "good-pem-crlf/private.pem.key",
                                           "good-pem-crlf/AmazonRootCA1.pem"])
    defer { try? FileManager.default.removeItem(at: folder) }
    // arduino-esp32 takes PEM strings only: DER files are an error there, PEM files are fine.
    let pem = try build(data, folder, [], layout: "esp32-default")
    #expect(pem.status == 0, "\(pem.stderr)")
    #expect(pem.stderr.contains("for esp32-arduino (from the esp32 layout"))
    let der = try build(data, folder, ["--der"], layout: "esp32-default")
    #expect(der.status == 65)
    #expect(der.stderr.contains("[format.der-on-esp32-arduino]"))
    // The DER came from --der, so the fix is to drop --der, not to convert the file back (issue 11 §3).
    #expect(der.stderr.contains("drop --der"), "\(der.stderr)")
    #expect(!der.stderr.contains("certs convert"), "\(der.stderr)")
    let idf = try build(data, folder, ["--der", "--cert-target", "esp-idf-mbedtls3"], layout: "esp32-default")
    #expect(idf.status == 0, "\(idf.stderr)")
    #expect(idf.stderr.contains("for esp-idf-mbedtls3\n"))
    let platform = try build(data, folder, [], layout: "esp-idf-example")
    #expect(platform.stderr.contains("for esp-idf-mbedtls3 (from the esp-idf layout"), "\(platform.stderr)")
  }

  @Test func theEndpointPassesThrough() throws {
    // Amazon Root CA 1 is right for an -ats endpoint; the legacy VeriSign root is not.
    let (folder, data) = try C.dataFolder(["legacy-root/cert.der", "legacy-root/private.der",
                                           "legacy-root/VeriSign-Class3-G5.pem"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try build(data, folder, ["--endpoint", "xxxx-ats.iot.us-east-1.amazonaws.com", "--json"])
    #expect(run.status == 65)
    #expect(run.stderr.contains("[known-bad.fingerprint]"), "\(run.stderr)")
    #expect(run.stderr.contains("endpoint xxxx-ats.iot.us-east-1.amazonaws.com"))
  }

  @Test func privateKeyBytesNeverReachTheOutput() throws {
    let (folder, data) = try C.dataFolder(["good-pem-crlf/cert.pem.crt", "good-pem-crlf/private.pem.key",
                                           "mismatched-key/private.der"], renamedTo: ["cert.pem.crt", "private.pem.key", "other.der"])
    defer { try? FileManager.default.removeItem(at: folder) }
    // other.der does not belong to the certificate: an error, so the finding texts are all printed.
    let failing = try build(data, folder, ["--der", "--json"])
    #expect(failing.status == 65)
    #expect(failing.stderr.contains("[key.mismatch]"), "\(failing.stderr)")
    try FileManager.default.removeItem(at: data.appendingPathComponent("other.der"))
    let passing = try build(data, folder, ["--der", "--json"])
    #expect(passing.status == 0, "\(passing.stderr)")
    let plain = try build(data, folder, [])
    #expect(plain.status == 0)
    for run in [failing, passing, plain] {
      try expectNoKeyMaterial(run, keys: ["good-pem-crlf/private.pem.key"], der: ["good-aws/private.der", "mismatched-key/private.der"])
    }
  }

  /// No base64 body line of the PEM keys, and no 48-byte run of the DER keys (in base64 or hex), appears.
  private func expectNoKeyMaterial(_ run: FSTestSupport.Run, keys: [String], der: [String] = []) throws {
    let output = run.text + run.stderr
    var secrets = try keys.flatMap { try C.pemBodyLines($0) }
    for file in der {
      let bytes = try C.bytes(file)
      // The private part follows the modulus; take runs from the second half of the key.
      for start in stride(from: bytes.count / 2, to: bytes.count - 48, by: 48) {
        let run = Array(bytes[start..<start + 48])
        secrets.append(Data(run).base64EncodedString())
        secrets.append(run.map { String(format: "%02x", $0) }.joined())
      }
    }
    #expect(!secrets.isEmpty)
    for secret in secrets {
      #expect(!output.contains(secret), "key material in the output")
    }
  }
}
