/// A certificate recognised by fingerprint, never by name: the 2012 and 2020 mosquitto.org CAs share one
/// subject DN (users-and-credentials.md §0.4, §3.5.6).
public struct KnownAnchor: Sendable, Equatable {
  public enum Kind: String, Sendable { case awsATSRoot, mosquitto2020, knownBad }
  public var name: String
  /// SHA-256 of the DER certificate, lowercase hex.
  public var certificateSHA256: String
  /// SHA-256 of the SubjectPublicKeyInfo, when known: catches a re-issued certificate with the same key.
  public var spkiSHA256: String?
  public var kind: Kind
  /// Why it fails (known-bad) or what it anchors.
  public var note: String
  public var boardError: String?

  public init(name: String, certificateSHA256: String, spkiSHA256: String? = nil, kind: Kind, note: String,
              boardError: String? = nil) {
    self.name = name
    self.certificateSHA256 = certificateSHA256.lowercased()
    self.spkiSHA256 = spkiSHA256?.lowercased()
    self.kind = kind
    self.note = note
    self.boardError = boardError
  }

  func matches(_ cert: ParsedCertificate) -> Bool {
    cert.sha256Fingerprint == certificateSHA256 || (spkiSHA256.map { $0 == cert.spkiSHA256 } ?? false)
  }

  /// Roots AWS IoT `-ats` endpoints chain to (AWS "Server authentication"; fingerprints from
  /// testdata/credentials/public-roots/README.md, SPKI hashes computed from those files).
  public static let awsATSRoots: [KnownAnchor] = [
    .init(name: "Amazon Root CA 1", certificateSHA256: "8ecde6884f3d87b1125ba31ac3fcb13d7016de7f57cc904fe1cb97c6ae98196e",
          spkiSHA256: "fbe3018031f9586bcbf41727e417b7d1c45c2f47f93be372a17b96b50757d5a2", kind: .awsATSRoot, note: "RSA-2048"),
    .init(name: "Amazon Root CA 2", certificateSHA256: "1ba5b2aa8c65401a82960118f80bec4f62304d83cec4713a19c39c011ea46db4",
          spkiSHA256: "7f4296fc5b6a4e3b35d3c369623e364ab1af381d8fa7121533c9d6c633ea2461", kind: .awsATSRoot, note: "RSA-4096"),
    .init(name: "Amazon Root CA 3", certificateSHA256: "18ce6cfe7bf14e60b2e347b8dfe868cb31d02ebb3ada271569f50343b46db3a4",
          spkiSHA256: "36abc32656acfc645c61b71613c4bf21c787f5cabbee48348d58597803d7abc9", kind: .awsATSRoot, note: "EC P-256"),
    .init(name: "Amazon Root CA 4", certificateSHA256: "e35d28419ed02025cfa69038cd623962458da5c695fbdea3c22b0bfb25897092",
          spkiSHA256: "f7ecded5c66047d28ed6466b543c40e0743abe81d109254dcf845d4c2c7853c5", kind: .awsATSRoot, note: "EC P-384"),
    .init(name: "Starfield Services Root Certificate Authority - G2",
          certificateSHA256: "568d6905a2c88708a4b3025190edcfedb1974a606a13c6e5290fcb2ae63edab5",
          spkiSHA256: "2b071c59a0a0ae76b0eadb2bad23bad4580b69c3601b630c2eaf0613afa83f92", kind: .awsATSRoot,
          note: "cross-signs Amazon Root CA 1–4"),
  ]

  public static let mosquittoOrg2020 = KnownAnchor(
    name: "mosquitto.org CA (2020, RSA-2048)",
    certificateSHA256: "fc9e45e28f6f4987fd1481e146bcfc31124ef2fabf20ab047e3f8592c22b6539",
    spkiSHA256: "0164db44667debf387cf58be355b57a141be9e8d9b282c293c89d8d131f55595", kind: .mosquitto2020,
    note: "the current test.mosquitto.org CA")

  /// Anchors that are known to fail (§3.5.6; public-roots/README.md).
  public static let knownBad: [KnownAnchor] = [
    .init(name: "mosquitto.org CA (2012, RSA-1024, sha1WithRSAEncryption)",
          certificateSHA256: "d156594d32a99d0c72665b5f943c3034d07cdba36051a46256137f631d2df4e6",
          spkiSHA256: "bd9dc58a00b14a3ceb8489eea64de9aaf1cf1d0cd217d8366159d313c68cd6b1", kind: .knownBad,
          note: "the old test.mosquitto.org CA: RSA-1024 (mbedTLS' default profile rejects the key: BAD_KEY), expired 2022-06-27, and the server was re-keyed in 2020",
          boardError: "mbedTLS -0x2700 \"certificate is signed with an unacceptable key\" / OpenSSL \"CA certificate key too weak\" / rc=-2"),
    .init(name: "VeriSign Class 3 Public Primary Certification Authority - G5",
          certificateSHA256: "9acfab7e43c8d880d06b262a94deeee4b4659989c3d0caf19baf6405e41ab7df",
          spkiSHA256: "25b41b506e4930952823a6eb9f1d31def645ea38a5c6c6a96d71957e384df058", kind: .knownBad,
          note: "the legacy AWS IoT root from old examples; AWS calls Symantec/VeriSign certificates deprecated and `-ats` endpoints are not signed by it",
          boardError: "rc=-2 (BearSSL: no trust anchor for the server's chain) / mbedTLS -0x2700 (NOT_TRUSTED)"),
    .init(name: "DST Root CA X3",
          certificateSHA256: "0687260331a72403d909f105e69bcf0d32e1bd2493ffc6d9206d11bcd6770739", kind: .knownBad,
          note: "expired 2021-09-30 (eclipse-mosquitto/mosquitto#2692)",
          boardError: "BR_ERR_X509_EXPIRED (54) / mbedTLS -0x2700 (EXPIRED) / rc=-2"),
  ]
}
