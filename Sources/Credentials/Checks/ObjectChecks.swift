import Foundation

/// §3.5.1 continued: the objects inside a file that no board reads as they are, and the fix commands.
extension CheckContext {
  /// The `certs convert` command for a file, only if that conversion succeeds on the file's bytes: a fix
  /// that names an espflash-swift command must work when it is run on the file it is printed for.
  func convertFix(_ path: String, to encoding: CredentialEncodingChoice, output: String) -> String? {
    guard let bytes = self.bytes[path], (try? CredentialConversion.convert(bytes, name: path, to: encoding)) != nil else { return nil }
    return "`espflash-swift certs convert \(Self.shellWord(path)) --to \(encoding.rawValue) -o \(Self.shellWord(output))`"
  }

  static func shellWord(_ s: String) -> String {
    s.allSatisfy { $0.isLetter || $0.isNumber || "._-/".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  mutating func checkObject(_ object: CredentialObject, label: String?, in file: CredentialFile) {
    switch object {
    case .encryptedPrivateKey(let style):
      let fix = style == .legacyPEM
        ? "decrypt it once on your computer: `openssl rsa -in \(file.path) -traditional -outform DER -out private.der` (EC: `openssl ec -in \(file.path) -outform DER -out private.der`); openssl asks for the passphrase"
        : "decrypt it once on your computer: `openssl pkey -in \(file.path)\(file.encoding == .der ? " -inform DER" : "") -outform DER -out private.der`; openssl asks for the passphrase"
      add(.error, .formatEncryptedKey, file: file.path,
          "the private key is encrypted (\(style.rawValue)); boards cannot decrypt keys",
          board: "BearSSL's PrivateKey fails to parse it and mbedtls_pk_parse_key is called without a password: the key is not loaded, rc=-2",
          fix: fix + ". Keep the decrypted key out of version control.")
    case .certificateRequest:
      add(.error, .formatNotForBoard, file: file.path,
          "is a certificate signing request (CSR, `BEGIN CERTIFICATE REQUEST`), not a certificate",
          board: "the certificate loader fails; rc=-2",
          fix: "ship the certificate the CA issued for this CSR (AWS: the `certificatePem` from CreateCertificateFromCsr)")
    case .pkcs12:
      add(.error, .formatPKCS12, file: file.path,
          "is a PKCS#12 bundle (.pfx/.p12): the device certificate and its private key in one passphrase-protected file, which no board TLS stack reads",
          board: "nothing is loaded; rc=-2",
          fix: "extract the parts once with openssl (it asks for the passphrase): `openssl pkcs12 -in \(file.path) -clcerts -nokeys -out cert.pem` and `openssl pkcs12 -in \(file.path) -nocerts -nodes -out private.pem.key`; then, if the board wants DER, convert each with espflash-swift certs convert")
    case .publicKey:
      if allKeys.isEmpty { break }  // judged by the key checks: a public key where the private key belongs
      add(.info, .formatNotForBoard, file: file.path,
          "is a public key; TLS client authentication needs the private key, and a public key is only used for pinning (BearSSL setKnownKey)")
    case .ecParameters:
      add(.info, .formatECParameters, file: file.path,
          "has an EC PARAMETERS block (written by `openssl ecparam -genkey`); BearSSL and mbedTLS skip it and load the key after it")
    case .truncated(let what, let have, let need):
      add(.error, .formatTruncated, file: file.path,
          file.encoding == .pem ? "the \(what) block is truncated: its base64 decodes to \(have) bytes, but the structure inside announces \(need); lines are missing"
                                : "the file ends after \(have) of the \(need) bytes its DER header announces (cut off during download or copy)",
          board: "parse error; nothing is loaded (rc=-2)",
          fix: "copy or download the file again completely")
    case .corruptPrivateKey(let format, let reason):
      add(.error, .keyCorrupt, file: file.path,
          "the private key is corrupt: it is shaped like a \(format.rawValue) key, but its numbers do not form a key (\(reason))",
          board: "the key fails to load, or signs garbage and the server rejects the handshake: rc=-2",
          fix: "restore the key from its original download or backup; a certificate cannot be used without its own key")
    case .unrecognized(let what):
      add(.warning, .formatUnreadable, file: file.path, "contains \(what)",
          fix: "remove it if the board does not need it")
    case .privateKey(let key):
      checkKeyLabel(key, label: label, file: file)
    case .certificate:
      break
    }
  }

  /// A PKCS#8 (or SEC1) key under a `BEGIN RSA PRIVATE KEY` header, usually from editing the header by hand.
  private mutating func checkKeyLabel(_ key: ParsedPrivateKey, label: String?, file: CredentialFile) {
    guard let label else { return }
    let expected: String
    switch key.format {
    case .pkcs1: expected = "RSA PRIVATE KEY"
    case .sec1: expected = "EC PRIVATE KEY"
    case .pkcs8: expected = "PRIVATE KEY"
    }
    guard label != expected else { return }
    let strict = options.target.keyParserFollowsPEMLabel
    add(strict ? .error : .warning, .formatKeyLabel, file: file.path,
        "the header says `BEGIN \(label)` but the key inside is \(key.format.rawValue) (`BEGIN \(expected)`)",
        board: strict ? "mbedTLS picks the parser by the header and fails: -0x3D00 (PK_KEY_INVALID_FORMAT), rc=-2"
                      : "BearSSL decodes the content and ignores the header; other tools may not",
        fix: convertFix(file.path, to: .pem, output: file.path).map { "\($0) (writes the header that matches the content)" }
          ?? "change the BEGIN/END lines to `\(expected)`")
  }
}
