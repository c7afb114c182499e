/// How bad a finding is. `error` means the board will fail with these files; the CLI exits 65.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
  case info, warning, error
  var rank: Int { self == .error ? 2 : self == .warning ? 1 : 0 }
  public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// Stable identifiers for findings, grouped by the check (users-and-credentials.md §3.5) that makes them.
/// Scripts match on these; the text around them may change.
public enum CheckID: String, Sendable, Codable, CaseIterable {
  // §3.5.1 parse and detect
  case formatSummary = "format.summary"
  case formatEmpty = "format.empty"
  case formatUnreadable = "format.unreadable"
  case formatDERMultipleCerts = "format.der-multiple-certs"
  case formatTrailingData = "format.trailing-data"
  case formatEncryptedKey = "format.encrypted-key"
  case formatPEMBroken = "format.pem-broken"
  case formatDERForESP32 = "format.der-on-esp32-arduino"
  case formatNotForBoard = "format.not-for-board"
  case formatExtraText = "format.extra-text"
  case formatBOM = "format.bom"
  case formatLiteralNewlines = "format.literal-newlines"
  case formatPEMIndented = "format.pem-indented"
  case formatTruncated = "format.truncated"
  case formatPEMOnAxTLS = "format.pem-on-axtls"
  case formatPKCS8OnAxTLS = "format.pkcs8-on-axtls"
  case formatKeyLabel = "format.key-label"
  case formatPKCS12 = "format.pkcs12"
  case formatECParameters = "format.ec-parameters"
  // §3.5.2 key ↔ certificate
  case keyMatch = "key.match"
  case keyMismatch = "key.mismatch"
  case keyMissing = "key.missing"
  case certMissing = "key.no-certificate"
  case keyCorrupt = "key.corrupt"
  case keySwapped = "key.swapped"
  case keyPublicNotPrivate = "key.public-not-private"
  case keyClientCredentialsMissing = "key.client-credentials-missing"
  // §3.5.3 chain and anchor
  case chainRoles = "chain.roles"
  case chainWrongAnchor = "chain.wrong-anchor"
  case chainNoAnchor = "chain.no-anchor"
  case chainLegacyEndpoint = "chain.legacy-endpoint"
  case chainBadSignature = "chain.bad-signature"
  case chainIssuerNotShipped = "chain.issuer-not-shipped"
  case chainAnchorNotCA = "chain.anchor-not-ca"
  case chainCAIsDeviceCert = "chain.ca-is-device-cert"
  case chainOrder = "chain.order"
  case chainIntermediateAnchor = "chain.intermediate-anchor"
  // §3.5.4 validity
  case validityExpired = "validity.expired"
  case validityNotYetValid = "validity.not-yet-valid"
  case validityExpiringSoon = "validity.expiring-soon"
  case validityClock = "validity.clock"
  case validityAxTLS2050 = "validity.axtls-2050"
  // §3.5.5 target profile
  case profileKey = "profile.key"
  case profileCurve = "profile.curve"
  case profileHash = "profile.hash"
  case profileAlgorithm = "profile.algorithm"
  // §3.5.6 known-bad anchors
  case knownBadFingerprint = "known-bad.fingerprint"
  // §3.5.7 device certificate shape (any endpoint) and AWS issuer
  case deviceExtendedKeyUsage = "device.extended-key-usage"
  case deviceKeyUsage = "device.key-usage"
  case awsIssuer = "aws.issuer"
  case awsCAFlag = "aws.ca-flag"
  // §3.5.8 filesystem
  case fsNameTooLong = "fs.name-too-long"
  case fsEmptyFile = "fs.empty-file"
  case fsLargeFile = "fs.large-file"
  case fsNameCharacters = "fs.name-characters"
  // §3.5.9 memory
  case heapESP8266 = "heap.esp8266"
  case heapRSA4096 = "heap.rsa-4096"
  // §3.5.10 sketch lint
  case sketchMissingFile = "sketch.missing-file"
  case sketchRemovedAPI = "sketch.removed-api"
  case sketchInsecure = "sketch.set-insecure"
  case sketchNoClock = "sketch.no-clock"
  case sketchAutoFormat = "sketch.spiffs-autoformat"
  case sketchPEMOnlyLoader = "sketch.pem-only-loader"
  case sketchBufferSizes = "sketch.buffer-sizes"
  case sketchKeyTypeCall = "sketch.key-type"
}

/// One thing `certs check` has to say. Never contains private key material: messages are built from
/// public facts (names, sizes, dates, fingerprints) only.
public struct Finding: Sendable, Codable, Equatable {
  public var severity: Severity
  public var check: CheckID
  /// The file (as given, relative to the folder being checked) or nil for set-wide findings.
  public var file: String?
  public var message: String
  /// What the board or the tool chain would report otherwise, e.g. "rc=-2", "-0x2700 (BAD_KEY)".
  public var boardError: String?
  public var fix: String?

  public init(_ severity: Severity, _ check: CheckID, file: String?, _ message: String,
              board: String? = nil, fix: String? = nil) {
    self.severity = severity
    self.check = check
    self.file = file
    self.message = message
    self.boardError = board
    self.fix = fix
  }
}
