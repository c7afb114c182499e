import Foundation
import Testing

/// `fs build --der` / `--rename`: what goes into the image, against openssl's committed output.
@Suite struct FSBuildCredentialConversionTests {
  typealias S = FSTestSupport
  typealias C = CredentialFixtures
  static let endpoint = "xxxx-ats.iot.us-east-1.amazonaws.com"

  @Test func derStoresOpenSSLsDERUnderTheStemAndLeavesTheFolderAlone() throws {
    // good-pem-crlf holds good-aws/cert.der and private.der as PEM (make-fixtures.sh: `sed 's/$/\r/'` of the
    // same certificate and `openssl rsa -traditional` of the same key), plus Amazon Root CA 1 as PEM.
    let (folder, data) = try C.dataFolder(["good-pem-crlf/cert.pem.crt", "good-pem-crlf/private.pem.key",
                                           "good-pem-crlf/AmazonRootCA1.pem", "good-aws/AmazonRootCA1.pem"],
                                          renamedTo: ["cert.pem.crt", "private.pem.key", "AmazonRootCA1.pem", "root-lf.pem"])
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("<h1>hi</h1>\n".utf8).write(to: data.appendingPathComponent("index.html"))
    let before = try C.snapshot(data)
    let out = folder.appendingPathComponent("out.bin").path
    let run = try S.run(["fs", "build", data.path, "-o", out, "--layout", "4M1M", "--der", "--endpoint", Self.endpoint])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try C.snapshot(data) == before)

    let files = try C.imageFiles(out, layout: "4M1M")
    let cert = try C.bytes("good-aws/cert.der"), key = try C.bytes("good-aws/private.der")
    let root = try C.pemToDER("good-aws/AmazonRootCA1.pem")
    #expect(files["/cert.der"] == cert)
    #expect(files["/private.der"] == key)
    #expect(files["/AmazonRootCA1.der"] == root)
    #expect(files["/root-lf.der"] == root)
    #expect(files["/index.html"] == Array("<h1>hi</h1>\n".utf8))
    #expect(files.keys.sorted() == ["/AmazonRootCA1.der", "/cert.der", "/index.html", "/private.der", "/root-lf.der"])
    #expect(run.stderr.contains("[SPIFFS] cert.pem.crt -> /cert.der (DER, \(cert.count) bytes)"), "\(run.stderr)")
    #expect(run.stderr.contains("[SPIFFS] private.pem.key -> /private.der (DER, \(key.count) bytes)"))
    #expect(run.stderr.contains("[SPIFFS] AmazonRootCA1.pem -> /AmazonRootCA1.der (DER, \(root.count) bytes)"))
    #expect(!run.stderr.contains("index.html ->"))
    #expect(run.text.split(separator: "\n").sorted() == files.keys.sorted().map { Substring($0) })
  }

  @Test func everyKeyFormatConvertsLikeOpenSSLTraditional() throws {
    // conversion/: inputs and what openssl wrote for them (README "conversion/"). The keys belong to no
    // certificate here, so the check (key.mismatch) is turned off.
    let pairs = [("cert.pem", "expected-cert.der"), ("rsa-pkcs1.pem", "expected-rsa-pkcs1-from-pkcs1.der"),
                 ("rsa-pkcs8.pem", "expected-rsa-pkcs1-from-pkcs8.der"), ("ec-sec1.pem", "expected-ec-sec1-from-sec1.der"),
                 ("ec-pkcs8.pem", "expected-ec-sec1-from-pkcs8.der")]
    let (folder, data) = try C.dataFolder(pairs.map { "conversion/\($0.0)" })
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out.bin").path
    let run = try S.run(["fs", "build", data.path, "-o", out, "--layout", "1M128", "--der", "--no-cert-check", "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let files = try C.imageFiles(out, layout: "1M128")
    for (input, expected) in pairs {
      let stem = String(input.dropLast(4))
      #expect(files["/\(stem).der"] == (try C.bytes("conversion/\(expected)")), "\(input)")
    }
    let json = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
    let conversions = try #require(json["conversions"] as? [[String: Any]])
    #expect(conversions.count == pairs.count)
    for conversion in conversions {
      let to = try #require(conversion["to"] as? String)
      #expect(conversion["change"] as? String == "der")
      #expect(conversion["size"] as? Int == files[to]?.count)
    }
    #expect(json["certCheck"] == nil)
  }

  @Test func renameMapsNamesWithAndWithoutDER() throws {
    let (folder, data) = try C.dataFolder(["good-pem-crlf/cert.pem.crt", "good-pem-crlf/private.pem.key",
                                           "good-pem-crlf/AmazonRootCA1.pem"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let before = try C.snapshot(data)
    let withDER = folder.appendingPathComponent("der.bin").path
    let run = try S.run(["fs", "build", data.path, "-o", withDER, "--layout", "4M1M", "--der",
                         "--rename", "cert.pem.crt=client.der", "--rename", "/private.pem.key=keys/device.der",
                         "--json", "--endpoint", Self.endpoint])
    #expect(run.status == 0, "\(run.stderr)")
    let files = try C.imageFiles(withDER, layout: "4M1M")
    #expect(files.keys.sorted() == ["/AmazonRootCA1.der", "/client.der", "/keys/device.der"])
    #expect(files["/client.der"] == (try C.bytes("good-aws/cert.der")))
    #expect(files["/keys/device.der"] == (try C.bytes("good-aws/private.der")))
    #expect(run.stderr.contains("[SPIFFS] cert.pem.crt -> /client.der (DER, "))
    let json = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
    let check = try #require(json["certCheck"] as? [String: Any])
    #expect((check["files"] as? [String])?.sorted() == ["AmazonRootCA1.der", "client.der", "keys/device.der"])
    #expect(check["errors"] as? Int == 0)

    // Without --der the bytes stay PEM; only the name changes.
    let plain = folder.appendingPathComponent("plain.bin").path
    let renamed = try S.run(["fs", "build", data.path, "-o", plain, "--layout", "4M1M", "--rename", "AmazonRootCA1.pem=ca.pem",
                             "--endpoint", Self.endpoint])
    #expect(renamed.status == 0, "\(renamed.stderr)")
    let plainFiles = try C.imageFiles(plain, layout: "4M1M")
    #expect(plainFiles["/ca.pem"] == (try C.bytes("good-pem-crlf/AmazonRootCA1.pem")))
    #expect(plainFiles["/cert.pem.crt"] == (try C.bytes("good-pem-crlf/cert.pem.crt")))
    #expect(renamed.stderr.contains("[SPIFFS] AmazonRootCA1.pem -> /ca.pem (renamed, "))
    #expect(try C.snapshot(data) == before)
  }

  @Test func badRenamesAndCollisionsAreRefused() throws {
    let (folder, data) = try C.dataFolder(["good-pem-crlf/cert.pem.crt", "good-aws/cert.der"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out.bin").path
    let unknown = try S.run(["fs", "build", data.path, "-o", out, "--layout", "4M1M", "--rename", "nope.pem=x.der"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("nope.pem"))
    let malformed = try S.run(["fs", "build", data.path, "-o", out, "--layout", "4M1M", "--rename", "cert.pem.crt"])
    #expect(malformed.status == 64)
    // cert.pem.crt would become /cert.der, which the folder already holds.
    let collision = try S.run(["fs", "build", data.path, "-o", out, "--layout", "4M1M", "--der"])
    #expect(collision.status == 65)
    #expect(collision.stderr.contains("cert.der"), "\(collision.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
    let fixed = try S.run(["fs", "build", data.path, "-o", out, "--layout", "4M1M", "--der", "--rename",
                           "cert.pem.crt=cert2.der", "--no-cert-check"])
    #expect(fixed.status == 0, "\(fixed.stderr)")
    #expect(try C.imageFiles(out, layout: "4M1M")["/cert2.der"] == (try C.bytes("good-aws/cert.der")))
  }
}
