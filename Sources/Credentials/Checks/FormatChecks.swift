/// §3.5.1: what each file is, and the encodings a board's loader reads differently than users expect.
extension CheckContext {
  mutating func checkFormats() {
    for file in files {
      switch file.encoding {
      case .empty:
        continue  // reported once, by the filesystem check
      case .other:
        if CredentialChecker.looksLikeCredential(name: file.path, bytes: []) {
          add(.error, .formatUnreadable, file: file.path,
              "has a credential file name but is neither PEM text nor a DER certificate or key",
              board: "the loader fails to parse it; the TLS connection then fails (rc=-2)",
              fix: "re-download the file, or check it with `openssl x509 -in \(file.path) -noout -text` / `openssl pkey -in \(file.path) -noout`")
        }
        continue
      case .pem, .der:
        break
      }
      summarize(file)
      if file.encoding == .pem { checkPEM(file) } else { checkDER(file) }
      for object in file.objects { checkObject(object, in: file) }
    }
  }

  private mutating func summarize(_ file: CredentialFile) {
    var parts: [String] = []
    for object in file.objects {
      if case .certificate(let cert) = object {
        parts.append("certificate \"\(cert.displayName)\" (\(cert.publicKey.summary), \(cert.signatureAlgorithm.name), SHA-256 \(cert.sha256Fingerprint.prefix(16))…)")
      } else {
        parts.append(object.kindName)
      }
    }
    let what = parts.isEmpty ? "no PEM blocks" : parts.joined(separator: "; ")
    add(.info, .formatSummary, file: file.path, "\(file.encoding.rawValue), \(file.size) bytes: \(what)"
        + (file.usesCRLF ? " (CRLF line endings: fine, BearSSL and mbedTLS accept them)" : ""))
  }

  private mutating func checkPEM(_ file: CredentialFile) {
    for problem in file.pemProblems {
      switch problem {
      case .missingEnd(let label, let line):
        add(.error, .formatPEMBroken, file: file.path, "the \(label) block starting on line \(line) has no END line",
            board: "PEM parse error; the certificate or key is not loaded (rc=-2)",
            fix: "copy the whole block including `-----END \(label)-----`")
      case .badBase64(let label, let line):
        add(.error, .formatPEMBroken, file: file.path, "the \(label) block on line \(line) is not valid base64",
            board: "PEM parse error (mbedTLS -0x1100 family) / BearSSL loads nothing; rc=-2",
            fix: "re-download the file; editors and copy-paste from web pages often break the base64")
      case .mismatchedEnd(let begin, let end, let line):
        add(.error, .formatPEMBroken, file: file.path, "line \(line): END \(end) closes a BEGIN \(begin) block",
            board: "PEM parse error; rc=-2", fix: "make the BEGIN and END labels match")
      }
    }
    if file.objects.isEmpty && file.pemProblems.isEmpty {
      add(.error, .formatPEMBroken, file: file.path, "contains a BEGIN line but no complete PEM block",
          board: "nothing is loaded; rc=-2", fix: "re-download the file")
    }
    if file.hasTextOutsideBlocks {
      add(.info, .formatExtraText, file: file.path,
          "has text outside the BEGIN/END blocks (e.g. `openssl x509 -text` output); the PEM parsers skip it",
          fix: "optional: keep only the PEM blocks to save flash (`openssl x509 -in \(file.path) -out clean.pem`)")
    }
  }

  private mutating func checkDER(_ file: CredentialFile) {
    let certCount = file.certificates.count
    if certCount > 1 {
      add(.error, .formatDERMultipleCerts, file: file.path,
          "one DER file holds \(certCount) certificates back to back; only the first one is read",
          board: "BearSSL's DER path reads a single certificate and mbedtls_x509_crt_parse takes one DER certificate: the others are silently ignored, so the chain or anchor you meant is missing (rc=-2)",
          fix: "ship each certificate as its own .der file, or use one PEM file for a chain (`espflash-swift certs convert \(file.path) --to pem`)")
    }
    if file.objects.count > certCount + file.privateKeys.count {
      // Mixed content (key after certificate …) is as wrong as two certificates.
      if certCount <= 1 && file.objects.count > 1 {
        add(.error, .formatDERMultipleCerts, file: file.path,
            "one DER file holds \(file.objects.count) structures; a DER loader reads only the first",
            board: "the rest is ignored; rc=-2", fix: "split the file: one certificate or key per DER file")
      }
    }
    if file.trailingBytes > 0 {
      add(.warning, .formatTrailingData, file: file.path,
          "\(file.trailingBytes) byte(s) after the end of the DER structure (at offset \(file.size - file.trailingBytes))",
          board: "(inferred) loaders given the whole file length may refuse it or ignore the tail; it also wastes flash",
          fix: "rewrite it cleanly: `espflash-swift certs convert \(file.path) --to der -o \(file.path)`")
    }
    if options.target == .esp32Arduino {
      add(.error, .formatDERForESP32, file: file.path,
          "DER file for arduino-esp32: setCACert/setCertificate/setPrivateKey take a NUL-terminated PEM string (strlen()+1)",
          board: "the DER buffer is cut at its first 0x00 byte, so mbedTLS reports a parse error and the connection fails",
          fix: "use PEM: `espflash-swift certs convert \(file.path) --to pem`")
    }
  }

  private mutating func checkObject(_ object: CredentialObject, in file: CredentialFile) {
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
          "is a certificate signing request (CSR), not a certificate",
          board: "the certificate loader fails; rc=-2",
          fix: "ship the certificate the CA issued for this CSR (AWS: the `certificatePem` from CreateCertificateFromCsr)")
    case .pkcs12:
      add(.error, .formatNotForBoard, file: file.path, "is a PKCS#12 (.p12/.pfx) bundle, which no board TLS stack reads",
          board: "nothing is loaded; rc=-2",
          fix: "extract the parts: `openssl pkcs12 -in \(file.path) -nokeys -out cert.pem` and `openssl pkcs12 -in \(file.path) -nocerts -nodes -out key.pem`")
    case .publicKey:
      add(.info, .formatNotForBoard, file: file.path,
          "is a public key; TLS client authentication needs the private key, and a public key is only used for pinning (BearSSL setKnownKey)")
    case .unrecognized(let what):
      add(.warning, .formatUnreadable, file: file.path, "contains \(what), which is not a certificate or key",
          fix: "remove it if the board does not need it")
    case .certificate, .privateKey:
      break
    }
  }
}
