import Credentials
import Foundation
import SPIFFS

/// The credential steps of the image pipeline: DER conversion and renames, then the check of the files as stored.
extension ImagePipeline {
  /// Extensions DER conversion takes (besides files without one): what AWS IoT, openssl and tutorials name
  /// certificates and keys. Other files are stored as they are even if they embed a PEM block (a README or
  /// an HTML page quoting a certificate must not turn into DER).
  public static let convertibleExtensions: Set<String> = ["pem", "crt", "cer", "cert", "key"]

  /// The name below the data folder without the leading "/", as renames and the checker spell it.
  public static func relativeName(_ spiffsName: [UInt8]) -> String {
    String(decoding: spiffsName.first == UInt8(ascii: "/") ? spiffsName.dropFirst() : spiffsName[...], as: UTF8.self)
  }

  static func isConvertible(_ name: String, bytes: [UInt8]) -> Bool {
    let last = name.split(separator: "/").last.map(String.init) ?? name
    var ext = ""
    if let dot = last.lastIndex(of: "."), dot != last.startIndex { ext = last[last.index(after: dot)...].lowercased() }
    guard ext.isEmpty || convertibleExtensions.contains(ext) else { return false }
    return CredentialChecker.looksLikeCredential(name: name, bytes: bytes)
  }

  /// DER conversion and renames: new names and bytes for the image; the folder itself is never written.
  func applyConversions(_ files: [StoredFile]) throws -> [StoredFile] {
    let handling = options.credentials
    guard handling.der || !handling.renames.isEmpty else { return files }
    var renames: [String: String] = [:]
    for (from, to) in handling.renames { renames[Self.trimSlash(from)] = Self.trimSlash(to) }
    let present = Set(files.map { Self.relativeName($0.spiffsName) })
    let unknown = renames.keys.filter { !present.contains($0) }.sorted()
    guard unknown.isEmpty else { throw UnknownRenameSource(names: unknown, dataDir: options.dataDir) }
    var out = files
    var converted = Set<Int>()
    if handling.der {
      var candidates: [Int] = []
      for (index, file) in files.enumerated() {
        guard String(bytes: file.spiffsName, encoding: .utf8) != nil else { continue }
        let name = Self.relativeName(file.spiffsName)
        guard Self.isConvertible(name, bytes: file.contents) else { continue }
        // An encrypted key cannot become DER here; the check reports it as an error, and without the check
        // it is stored as it is.
        let encrypted = CredentialFile.inspect(path: name, bytes: file.contents).objects.contains {
          if case .encryptedPrivateKey = $0 { true } else { false }
        }
        if encrypted {
          if !handling.check { note("warning: \(name) holds an encrypted private key; stored unconverted (boards cannot decrypt keys)") }
          continue
        }
        candidates.append(index)
      }
      let inputs = candidates.map { (name: Self.relativeName(files[$0].spiffsName), bytes: files[$0].contents) }
      let results = try DERConversion.convertForImage(
        files: inputs, renames: renames.filter { key, _ in inputs.contains { $0.name == key } })
      for (position, index) in candidates.enumerated() where position < results.count {
        let result = results[position]
        out[index].spiffsName = Array(("/" + result.name).utf8)
        out[index].contents = result.bytes
        converted.insert(index)
        if result.bytes != files[index].contents {
          out[index].change = .der
        } else if out[index].spiffsName != files[index].spiffsName {
          out[index].change = .renamed
        }
      }
    }
    for index in out.indices where !converted.contains(index) {
      if let target = renames[Self.relativeName(files[index].spiffsName)] {
        out[index].spiffsName = Array(("/" + target).utf8)
        out[index].change = .renamed
      }
    }
    var seen: [[UInt8]: Int] = [:]
    for (index, file) in out.enumerated() {
      if let other = seen[file.spiffsName] {
        let culprit = file.change != nil ? file : out[other]
        throw ConversionError.nameCollision(file: Self.relativeName(culprit.source.spiffsName), target: file.displayName)
      }
      seen[file.spiffsName] = index
    }
    for file in out {
      guard let change = file.change else { continue }
      let kind = change == .der ? "DER" : "renamed"
      note("[SPIFFS] \(Self.relativeName(file.source.spiffsName)) -> \(file.displayName) (\(kind), \(file.size) bytes)")
    }
    return out
  }

  /// The credential check on the files as they will be stored. Errors stop the build after the
  /// `.credentialsChecked` event; warnings go on. Findings carry public facts only, so no key material
  /// leaves the library. The name-length check is the builder's, so the checker's `fs.name-too-long` is dropped.
  func checkStoredCredentials(_ files: [StoredFile]) throws -> CredentialCheckOutcome? {
    let handling = options.credentials
    let credentials = files.filter {
      CredentialChecker.looksLikeCredential(name: Self.relativeName($0.spiffsName), bytes: $0.contents)
    }
    guard !credentials.isEmpty else { return nil }
    guard handling.check else {
      note("[SPIFFS] certs   : \(credentials.count) credential file(s) not checked (--no-cert-check)")
      return nil
    }
    let platform = options.preset.platform
    let target = handling.target ?? TargetPlatform.forImage(platform)
    let inputs = credentials.map { (path: Self.relativeName($0.spiffsName), bytes: $0.contents) }
    let converted = Set(credentials.filter { $0.change == .der }.map { Self.relativeName($0.spiffsName) })
    let findings = checkCredentials(files: inputs, target: target, endpoint: handling.endpoint, at: handling.at)
      .filter { $0.check != .fsNameTooLong }
      .map { Self.blameDERFlag($0, converted: converted) }
    let outcome = CredentialCheckOutcome(target: target, endpoint: handling.endpoint, at: handling.at,
                                         files: inputs.map(\.path), findings: findings)
    let from = handling.target == nil ? " (from the \(platform) layout; --cert-target picks another)" : ""
    note("[SPIFFS] certs   : checking \(credentials.count) credential file(s) for \(target.rawValue)\(from)")
    events(.credentialsChecked(outcome))
    if outcome.errors > 0 {
      throw CredentialCheckFailed(errors: outcome.errors, warnings: outcome.warnings, target: target)
    }
    return outcome
  }

  /// A DER file the board cannot read that `--der` made from PEM: the fix is to drop `--der`, not to convert
  /// the file back (arduino-esp32 takes PEM strings).
  static func blameDERFlag(_ finding: Finding, converted: Set<String>) -> Finding {
    guard finding.check == .formatDERForESP32, let file = finding.file, converted.contains(file) else { return finding }
    var blamed = finding
    blamed.message = "\(file) became DER because of --der; " + finding.message
    blamed.fix = "drop --der for this layout: arduino-esp32 loads the PEM files as they are"
    return blamed
  }

  static func trimSlash(_ name: String) -> String {
    String(name.drop { $0 == "/" })
  }
}

extension TargetPlatform {
  /// The TLS stack a board with this SPIFFS configuration most likely runs: the ESP8266 Arduino core uses
  /// BearSSL (core ≥ 2.5), arduino-esp32 3.x mbedTLS 3 with PEM strings, ESP-IDF ≥ 5 mbedTLS 3.
  public static func forImage(_ platform: SPIFFSLayout.Platform) -> TargetPlatform {
    switch platform {
    case .esp8266: .esp8266BearSSL
    case .esp32: .esp32Arduino
    case .espIDF: .espIDFMbedTLS3
    }
  }
}
