import Foundation

/// What `certs check` is asked to check against.
public struct CheckOptions: Sendable {
  public var target: TargetPlatform
  /// The server host, e.g. `xxxx-ats.iot.us-east-1.amazonaws.com`; decides which trust anchor is right.
  public var endpoint: String?
  /// The moment the board will connect (default: now).
  public var at: Date
  public var expiryWarningDays: Int
  /// Sketch sources for the lint (§3.5.10): path and text.
  public var sketches: [(path: String, text: String)]
  /// Fingerprints that always fail; injectable so tests can add a stand-in.
  public var knownBad: [KnownAnchor]

  public init(target: TargetPlatform = .esp8266BearSSL, endpoint: String? = nil, at: Date = Date(),
              expiryWarningDays: Int = 30, sketches: [(path: String, text: String)] = [],
              knownBad: [KnownAnchor] = KnownAnchor.knownBad) {
    self.target = target
    self.endpoint = endpoint
    self.at = at
    self.expiryWarningDays = expiryWarningDays
    self.sketches = sketches
    self.knownBad = knownBad
  }
}

/// The fs-integration entry point: checks a set of files that will go onto one board.
/// `path` is the name relative to the data folder (it becomes the SPIFFS name with a leading "/").
public func checkCredentials(files: [(path: String, bytes: [UInt8])], target: TargetPlatform,
                             endpoint: String?, at: Date) -> [Finding] {
  CredentialChecker.check(files: files, options: CheckOptions(target: target, endpoint: endpoint, at: at))
}

/// A certificate with where it came from.
struct CertificateEntry {
  let file: String
  /// 0-based position in its file.
  let index: Int
  let certificate: ParsedCertificate
  var label: String { index == 0 ? file : "\(file) #\(index + 1)" }
}

/// What each certificate is for, decided once so every check speaks about the same roles.
struct CredentialRoles {
  /// Certificates whose key is in the set (or, without keys, the non-CA leaf certificates): what the board
  /// presents to the server.
  var device: [CertificateEntry] = []
  /// Other certificates in the same file as a device certificate: the client chain, sent to the server.
  var clientChain: [CertificateEntry] = []
  /// Certificates in other files: what the board uses to verify the server.
  var trust: [CertificateEntry] = []
}

enum EndpointKind: Equatable {
  case awsATS, awsLegacy, mosquitto, other(String), none

  init(_ host: String?) {
    guard let raw = host?.lowercased(), !raw.isEmpty else { self = .none; return }
    let host = raw.split(separator: ":").first.map(String.init) ?? raw
    if host.contains(".iot.") && (host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn")) {
      self = host.contains("-ats.iot.") ? .awsATS : .awsLegacy
    } else if host == "test.mosquitto.org" {
      self = .mosquitto
    } else {
      self = .other(host)
    }
  }

  var isAWS: Bool { self == .awsATS || self == .awsLegacy }
}

public enum CredentialChecker {
  public static func check(files: [(path: String, bytes: [UInt8])], options: CheckOptions) -> [Finding] {
    let inspected = files.map { CredentialFile.inspect(path: $0.path, bytes: $0.bytes) }
    var context = CheckContext(options: options, files: inspected)
    context.bytes = Dictionary(files.map { ($0.path, $0.bytes) }, uniquingKeysWith: { a, _ in a })
    context.run()
    return context.sorted()
  }

  /// Whether a data-folder file should be treated as a credential (converted, checked): by extension, or by
  /// content (PEM blocks, or DER that decodes as a certificate or key).
  public static func looksLikeCredential(name: String, bytes: [UInt8]) -> Bool {
    let lower = name.lowercased()
    let extensions = [".pem", ".crt", ".cer", ".der", ".key", ".pub", ".p8", ".pk8", ".csr", ".p12", ".pfx", ".cert"]
    if extensions.contains(where: { lower.hasSuffix($0) }) { return true }
    let file = CredentialFile.inspect(path: name, bytes: bytes)
    return file.encoding == .pem && !file.objects.isEmpty || file.encoding == .der
  }
}

struct CheckContext {
  let options: CheckOptions
  let files: [CredentialFile]
  let endpoint: EndpointKind
  var findings: [Finding] = []
  var roles = CredentialRoles()
  /// The file contents, so fixes can be tried before they are printed.
  var bytes: [String: [UInt8]] = [:]
  /// Seconds since 1970 of `options.at`.
  let now: Int64

  init(options: CheckOptions, files: [CredentialFile]) {
    self.options = options
    self.files = files
    self.endpoint = EndpointKind(options.endpoint)
    self.now = Int64(options.at.timeIntervalSince1970.rounded(.down))
  }

  mutating func add(_ severity: Severity, _ check: CheckID, file: String?, _ message: String,
                    board: String? = nil, fix: String? = nil) {
    findings.append(Finding(severity, check, file: file, message, board: board, fix: fix))
  }

  var allCertificates: [CertificateEntry] {
    files.flatMap { file in
      file.certificates.enumerated().map { CertificateEntry(file: file.path, index: $0.offset, certificate: $0.element) }
    }
  }

  /// One key per file: the first, which is the one every stack loads (a second key in the file is ignored).
  var allKeys: [(file: String, key: ParsedPrivateKey)] {
    files.compactMap { file in file.privateKeys.first.map { (file.path, $0) } }
  }

  mutating func run() {
    checkFormats()
    assignRoles()
    checkKeys()
    checkChain()
    checkValidity()
    checkProfile()
    checkKnownBad()
    checkDeviceShape()
    checkFilesystem()
    checkHeap()
    lintSketches()
  }

  mutating func assignRoles() {
    let keys = allKeys.compactMap(\.key.publicKey)
    let certs = allCertificates
    var device = certs.filter { entry in keys.contains(entry.certificate.publicKey) }
    if device.isEmpty {
      device = certs.filter { !$0.certificate.actsAsCA }
    }
    let deviceFiles = Set(device.map(\.file))
    let isDevice = { (e: CertificateEntry) in device.contains { $0.file == e.file && $0.index == e.index } }
    roles.device = device
    roles.clientChain = certs.filter { !isDevice($0) && deviceFiles.contains($0.file) }
    roles.trust = certs.filter { !deviceFiles.contains($0.file) }
  }

  /// Errors first, then by file, keeping each check's order.
  func sorted() -> [Finding] {
    let order = Dictionary(uniqueKeysWithValues: files.enumerated().map { ($0.element.path, $0.offset) })
    return findings.enumerated().sorted { a, b in
      let fa = a.element.file.flatMap { order[$0] } ?? Int.max
      let fb = b.element.file.flatMap { order[$0] } ?? Int.max
      if fa != fb { return fa < fb }
      if a.element.severity != b.element.severity { return a.element.severity > b.element.severity }
      return a.offset < b.offset
    }.map(\.element)
  }
}
