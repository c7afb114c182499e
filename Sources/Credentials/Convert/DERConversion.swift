/// What `fs build --der` does to a data folder: PEM certificates and keys become DER files, because DER is
/// what ESP8266 sketches load from SPIFFS with `X509List(file, size)` and it saves flash.
public enum DERConversion {
  /// Converts every PEM file holding exactly one certificate or key to DER. The new name is `renames[name]`
  /// if given, else the name with its credential extensions (.pem, .crt, .key, .cer, .cert) replaced by
  /// `.der` ("xxx-certificate.pem.crt" → "xxx-certificate.der"). Everything else passes through untouched,
  /// including PEM files with several certificates (a CA bundle must stay PEM: DER holds one certificate).
  /// Throws for encrypted keys and for names that would collide.
  public static func convertForImage(files: [(name: String, bytes: [UInt8])], renames: [String: String] = [:]) throws(ConversionError)
    -> [(name: String, bytes: [UInt8], convertedFrom: String?)] {
    var out: [(name: String, bytes: [UInt8], convertedFrom: String?)] = []
    for file in files {
      let inspected = CredentialFile.inspect(path: file.name, bytes: file.bytes)
      let useful = inspected.objects.filter(\.isUseful)
      guard inspected.encoding == .pem, !useful.isEmpty else {
        out.append((renames[file.name] ?? file.name, file.bytes, renames[file.name] == nil ? nil : file.name))
        continue
      }
      if useful.contains(where: { if case .encryptedPrivateKey = $0 { true } else { false } }) {
        throw ConversionError.encryptedKey(file: file.name)
      }
      guard useful.count == 1 else {
        out.append((renames[file.name] ?? file.name, file.bytes, renames[file.name] == nil ? nil : file.name))
        continue
      }
      let converted = try CredentialConversion.convert(file.bytes, name: file.name, to: .der)
      out.append((renames[file.name] ?? derName(for: file.name), converted.bytes, file.name))
    }
    var seen: [String: String] = [:]
    for entry in out {
      if let other = seen[entry.name] {
        throw ConversionError.nameCollision(file: entry.convertedFrom ?? other, target: entry.name)
      }
      seen[entry.name] = entry.convertedFrom ?? entry.name
    }
    return out
  }

  /// Parses `--rename cert.pem=cert.der` values.
  public static func parseRenames(_ values: [String]) throws(ConversionError) -> [String: String] {
    var map: [String: String] = [:]
    for value in values {
      let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw ConversionError.badRename(value) }
      map[parts[0]] = parts[1]
    }
    return map
  }

  /// "certs/cert.der" → "certs/cert.pem": where `certs convert --to pem` fixes put their output.
  public static func pemName(for name: String) -> String {
    let base = derName(for: name).dropLast(4)
    return (base.lowercased().hasSuffix(".der") && !base.hasSuffix("/.der") ? String(base.dropLast(4)) : String(base)) + ".pem"
  }

  /// "certs/xxx-certificate.pem.crt" → "certs/xxx-certificate.der".
  public static func derName(for name: String) -> String {
    let credentialExtensions = ["pem", "crt", "key", "cer", "cert"]
    var base = Substring(name)
    while let dot = base.lastIndex(of: "."), dot != base.startIndex, !base[..<dot].hasSuffix("/"),
          credentialExtensions.contains(base[base.index(after: dot)...].lowercased()) {
      base = base[..<dot]
    }
    return base + ".der"
  }
}
