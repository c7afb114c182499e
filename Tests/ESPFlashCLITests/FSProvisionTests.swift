import Foundation
import Testing

/// `fs provision`: one image per device (users-and-credentials.md §3.5 check 11), run as the built binary.
@Suite struct FSProvisionTests {
  typealias C = CredentialFixtures
  typealias F = ProvisionFixture

  /// thing-a: good-aws (RSA), thing-b: good-ec (P-256) whose Amazon Root CA 3 replaces the common ca.pem.
  static let twoDevices: [String: [(from: String, name: String)]] = [
    "thing-a": [("good-aws/cert.der", "cert.der"), ("good-aws/private.der", "private.der")],
    "thing-b": [("good-ec/cert.der", "cert.der"), ("good-ec/private.der", "private.der"),
                ("good-ec/AmazonRootCA3.pem", "ca.pem")],
  ]

  @Test func buildsOneImagePerDeviceWithAManifestThatMatchesTheFiles() throws {
    let fixture = try F(devices: Self.twoDevices)
    defer { fixture.remove() }
    let run = try fixture.provision(["--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let manifest = try JSONDecoder().decode(F.Manifest.self, from: run.stdout)
    let written = try JSONDecoder().decode(F.Manifest.self, from: Data(contentsOf: fixture.out.appendingPathComponent("manifest.json")))
    #expect(written.devices.map(\.sha256) == manifest.devices.map(\.sha256))
    #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.out.path).sorted()
              == ["manifest.json", "thing-a.spiffs.bin", "thing-b.spiffs.bin"])
    #expect(manifest.layout == "4M1M" && manifest.platform == "esp8266" && manifest.format == "compact")
    #expect(manifest.flashOffset == 0x300000 && manifest.imageSize == 1_024_000)
    #expect(manifest.blockSize == 8192 && manifest.pageSize == 256)
    #expect(manifest.devices.map(\.thing) == ["thing-a", "thing-b"])
    #expect(run.stderr.components(separatedBy: "[SPIFFS] block").count == 2, "parameters once: \(run.stderr)")
    #expect(run.stderr.contains("/ca.pem replaced by"))

    for device in manifest.devices {
      let path = fixture.out.appendingPathComponent(device.image).path
      let image = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      #expect(device.sha256 == F.sha256(image))
      #expect(device.writeFlash == "espflash-swift write-flash 0x300000 \(path)")
      let stored = try C.imageFiles(path, layout: "4M1M")
      #expect(stored["/index.html"] == F.index)
      #expect(device.fileCount == stored.count)
      for file in device.files {
        let bytes = try #require(stored[file.name], "\(device.thing) \(file.name)")
        #expect(file.sha256 == F.sha256(bytes))
        #expect(file.size == bytes.count)
      }
      let own = Self.twoDevices[device.thing] ?? []
      #expect(device.files.map(\.source).sorted() == own.map(\.name).sorted())
      for file in own {
        let expected = try C.bytes(file.from)
        #expect(stored["/" + file.name] == expected, "\(device.thing) \(file.name)")
      }
      #expect(device.files.filter(\.replaces).map(\.name) == (device.thing == "thing-b" ? ["/ca.pem"] : []))
    }
  }

  @Test func commonFilesAreStoredAlikeInEveryImage() throws {
    let fixture = try F(devices: Self.twoDevices)
    defer { fixture.remove() }
    #expect(try fixture.provision().status == 0)
    let common = fixture.folder.appendingPathComponent("common.bin").path
    let build = try FSTestSupport.run(["fs", "build", fixture.data.path, "-o", common, "--layout", "4M1M"])
    #expect(build.status == 0, "\(build.stderr)")
    let commonListing = try F.listing(common)
    #expect(commonListing.map(\.name) == ["/ca.pem", "/index.html"])
    let commonFiles = try C.imageFiles(common, layout: "4M1M")

    let a = try F.listing(fixture.out.appendingPathComponent("thing-a.spiffs.bin").path)
    let b = try F.listing(fixture.out.appendingPathComponent("thing-b.spiffs.bin").path)
    // thing-a: the common files first, in the same order, then its own.
    #expect(Array(a.prefix(2)) == commonListing)
    #expect(a.dropFirst(2).map(\.name) == ["/cert.der", "/private.der"])
    // thing-b: its ca.pem took the common one's place.
    #expect(b.map(\.name) == ["/ca.pem", "/index.html", "/cert.der", "/private.der"])
    #expect(b[1] == commonListing[1])
    let bFiles = try C.imageFiles(fixture.out.appendingPathComponent("thing-b.spiffs.bin").path, layout: "4M1M")
    #expect(bFiles["/ca.pem"] == (try C.bytes("good-ec/AmazonRootCA3.pem")))
    #expect(bFiles["/index.html"] == commonFiles["/index.html"])

    // Per line on stdout: thing, image, counts and the hash prefix.
    let again = try fixture.provision()
    let lines = again.text.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(lines.first?.hasPrefix("thing-a  \(fixture.out.path)/thing-a.spiffs.bin  4 files  ") == true, "\(lines)")
    let imageA = [UInt8](try Data(contentsOf: fixture.out.appendingPathComponent("thing-a.spiffs.bin")))
    #expect(lines.first?.hasSuffix("sha256 \(F.sha256(imageA).prefix(16))") == true)
  }

  @Test func aDeviceWhoseKeyDoesNotMatchStopsEveryImage() throws {
    var devices = Self.twoDevices
    devices["thing-m"] = [("mismatched-key/cert.der", "cert.der"), ("mismatched-key/private.der", "private.der")]
    let fixture = try F(devices: devices)
    defer { fixture.remove() }
    let run = try fixture.provision()
    #expect(run.status == 65)
    #expect(!FileManager.default.fileExists(atPath: fixture.out.path), "nothing may be written")
    #expect(run.text.isEmpty)
    #expect(run.stderr.contains("failed: thing-m: the credential check found 1 error(s)"), "\(run.stderr)")
    #expect(run.stderr.contains("key.mismatch"))
    #expect(!run.stderr.contains("failed: thing-a") && !run.stderr.contains("failed: thing-b"))
    #expect(run.stderr.contains("1 of 3 device(s) failed"))
  }

  @Test func derConvertsEachDevicesPEMs() throws {
    let fixture = try F(devices: [
      "thing-a": [("good-pem-crlf/cert.pem.crt", "cert.pem.crt"), ("good-pem-crlf/private.pem.key", "private.pem.key")],
    ])
    defer { fixture.remove() }
    let run = try fixture.provision(["--der", "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let manifest = try JSONDecoder().decode(F.Manifest.self, from: run.stdout)
    let stored = try C.imageFiles(fixture.out.appendingPathComponent("thing-a.spiffs.bin").path, layout: "4M1M")
    // good-pem-crlf is good-aws as PEM (make-fixtures.sh); the common CA is converted too.
    #expect(stored["/cert.der"] == (try C.bytes("good-aws/cert.der")))
    #expect(stored["/private.der"] == (try C.bytes("good-aws/private.der")))
    #expect(stored["/ca.der"] == (try C.pemToDER("good-aws/AmazonRootCA1.pem")))
    let device = try #require(manifest.devices.first)
    #expect(device.files.map(\.name) == ["/cert.der", "/private.der"])
    #expect(device.files.map(\.source) == ["cert.pem.crt", "private.pem.key"])
    #expect(device.files.map(\.sha256) == [F.sha256(try C.bytes("good-aws/cert.der")), F.sha256(try C.bytes("good-aws/private.der"))])
  }

  @Test(arguments: ["bad\u{01}thing", ".hidden", "-rf"])
  func anUnsafeThingNameIsRefused(_ name: String) throws {
    var devices = Self.twoDevices
    devices[name] = [("good-aws/cert.der", "cert.der"), ("good-aws/private.der", "private.der")]
    let fixture = try F(devices: devices)
    defer { fixture.remove() }
    let run = try fixture.provision()
    #expect(run.status == 65, "\(run.stderr)")
    #expect(run.stderr.contains("device folder names that cannot name an image file"))
    #expect(!FileManager.default.fileExists(atPath: fixture.out.path))
  }

  @Test func anEmptyDevicesFolderIsAnError() throws {
    let fixture = try F(devices: [:])
    defer { fixture.remove() }
    try FileManager.default.createDirectory(at: fixture.things, withIntermediateDirectories: true)
    try Data("not a device".utf8).write(to: fixture.things.appendingPathComponent("notes.txt"))
    let run = try fixture.provision()
    #expect(run.status == 66)
    #expect(run.stderr.contains("holds no device folders"))
    #expect(!FileManager.default.fileExists(atPath: fixture.out.path))
  }
}

/// Over the memory budget the images are built again when written; they must be the checked ones.
@Suite struct FSProvisionRebuildTests {
  @Test func imagesBuiltAgainAreTheCheckedOnes() throws {
    let fixture = try ProvisionFixture(devices: FSProvisionTests.twoDevices)
    defer { fixture.remove() }
    let kept = try fixture.provision(["--der"])
    #expect(kept.status == 0, "\(kept.stderr)")
    let names = ["thing-a.spiffs.bin", "thing-b.spiffs.bin", "manifest.json"]
    let first = try names.map { try Data(contentsOf: fixture.out.appendingPathComponent($0)) }
    try FileManager.default.removeItem(at: fixture.out)
    let rebuilt = try fixture.provision(["--der", "--memory-budget", "0"])
    #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
    let second = try names.map { try Data(contentsOf: fixture.out.appendingPathComponent($0)) }
    #expect(first == second)
    #expect(rebuilt.text == kept.text)
  }
}
