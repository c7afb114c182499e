/// §3.5.1: what each file is, and the encodings each target's loader reads differently than users expect.
/// Every judgement is per target: a byte-order mark is harmless where mbedTLS searches for the header and
/// fatal where BearSSL looks for it at the start of a line.
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
              fix: "check what it is with `openssl x509 -in \(file.path) -noout -text` / `openssl pkey -in \(file.path) -noout`; if it is a download, fetch it again")
        }
        continue
      case .pem, .der:
        break
      }
      summarize(file)
      if file.encoding == .pem { checkPEM(file) } else { checkDER(file) }
      for (object, label) in zip(file.objects, file.labels) { checkObject(object, label: label, in: file) }
      if file.privateKeys.count > 1 {
        add(.info, .keyMatch, file: file.path, "holds \(file.privateKeys.count) private keys; every stack loads the first one, so only that one is checked")
      }
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
    let target = options.target
    let repair = convertFix(file.path, to: .pem, output: file.path)
    let manual = "or re-save it as plain text the way openssl writes it"
    if !target.readsPEM {
      let der = DERConversion.derName(for: file.path)
      add(.error, .formatPEMOnAxTLS, file: file.path, "is PEM text; axTLS in the ESP8266 core loads DER files only",
          board: "loadCertificate()/loadPrivateKey() fail, the TLS connection fails (rc=-2)",
          fix: convertFix(file.path, to: .der, output: der).map { "\($0), and load \(der) in the sketch" }
            ?? "store one certificate or key per file as DER (`openssl x509 -outform DER`)")
      return
    }
    let defects = file.defects
    if defects.byteOrderMark {
      if target.findsPEMHeaderAnywhere {
        add(.info, .formatBOM, file: file.path, "starts with a UTF-8 byte-order mark (EF BB BF); mbedTLS searches for the BEGIN line, so it is harmless here")
      } else {
        add(.error, .formatBOM, file: file.path, "starts with a UTF-8 byte-order mark (EF BB BF, written by some Windows editors) in front of the first BEGIN line",
            board: "BearSSL's PEM decoder only sees `-----BEGIN` at the start of a line, so the first block is not found (rc=-2)",
            fix: repair.map { "\($0) (writes it without the byte-order mark)" } ?? "save it as UTF-8 without BOM")
      }
    }
    if defects.literalNewlines {
      add(.error, .formatLiteralNewlines, file: file.path,
          "holds literal \\n sequences (backslash + n) instead of line breaks, as copied from a JSON string or a console",
          board: "BearSSL sees no BEGIN line, and mbedTLS finds the header but no line break after it: nothing is loaded (rc=-2)",
          fix: repair.map { "\($0) (turns the \\n into line breaks)" } ?? "replace each \\n with a real line break, \(manual)")
    }
    if let line = defects.indentedLine {
      add(.error, .formatPEMIndented, file: file.path,
          "lines are indented (line \(line) starts with spaces or tabs), as pasted from YAML, Markdown or source code",
          board: target.isMbedTLS ? "mbedTLS' base64 decoder rejects a space inside a line: -0x112C (PEM invalid data + bad base64), rc=-2"
                                  : "BearSSL's PEM decoder does not see an indented BEGIN line (inferred): nothing is loaded, rc=-2",
          fix: repair.map { "\($0) (removes the indentation)" } ?? "remove the leading spaces, \(manual)")
    }
    for problem in file.pemProblems {
      switch problem {
      case .missingEnd(let label, let line):
        add(.error, .formatPEMBroken, file: file.path, "the \(label) block starting on line \(line) has no END line (the copy stopped early)",
            board: "PEM parse error; the certificate or key is not loaded (rc=-2)",
            fix: "copy the whole block again, down to and including `-----END \(label)-----`")
      case .badBase64(let label, let line):
        add(.error, .formatPEMBroken, file: file.path, "the \(label) block on line \(line) is not valid base64 (stray characters or a lost line)",
            board: "PEM parse error (mbedTLS -0x112C) / BearSSL loads nothing; rc=-2",
            fix: "copy the block again from its source; every line between BEGIN and END must be base64 only")
      case .mismatchedEnd(let begin, let end, let line):
        add(.error, .formatPEMBroken, file: file.path, "line \(line): END \(end) closes a BEGIN \(begin) block",
            board: "PEM parse error; rc=-2", fix: "make the BEGIN and END labels match")
      }
    }
    if file.objects.isEmpty && file.pemProblems.isEmpty {
      add(.error, .formatPEMBroken, file: file.path, "contains a BEGIN marker but no complete PEM block",
          board: "nothing is loaded; rc=-2", fix: repair ?? "copy the whole block again, BEGIN line to END line")
    }
    if defects.textOutsideBlocks {
      add(.info, .formatExtraText, file: file.path,
          "has text outside the BEGIN/END blocks (e.g. `openssl x509 -text` output); the PEM parsers skip it",
          fix: repair.map { "optional, to save flash: \($0)" })
    }
  }

  private mutating func checkDER(_ file: CredentialFile) {
    let target = options.target
    // A .pfx/.p12 is DER too, but what to say about it is that it is a PKCS#12 bundle (checkObject).
    if file.objects.allSatisfy({ if case .pkcs12 = $0 { true } else { false } }) { return }
    let certCount = file.certificates.count
    if certCount > 1 {
      let pem = DERConversion.pemName(for: file.path)
      add(.error, .formatDERMultipleCerts, file: file.path,
          "one DER file holds \(certCount) certificates back to back; only the first one is read",
          board: "BearSSL's DER path reads a single certificate and mbedtls_x509_crt_parse takes one DER certificate: the others are silently ignored, so the chain or anchor you meant is missing (rc=-2)",
          fix: convertFix(file.path, to: .pem, output: pem).map { "\($0) and ship \(pem) instead (PEM holds a chain)" }
            ?? "ship each certificate as its own .der file")
    } else if file.objects.count > 1 {
      add(.error, .formatDERMultipleCerts, file: file.path,
          "one DER file holds \(file.objects.count) structures; a DER loader reads only the first",
          board: "the rest is ignored; rc=-2", fix: "split the file: one certificate or key per DER file")
    }
    if file.trailingBytes > 0 {
      let severity: Severity = target.rejectsBytesAfterDER ? .error : .warning
      add(severity, .formatTrailingData, file: file.path,
          "\(file.trailingBytes) byte(s) after the end of the DER structure (at offset \(file.size - file.trailingBytes))"
            + (file.trailingBytes == 1 ? ", probably a newline added by an editor or `echo`" : ""),
          board: target.rejectsBytesAfterDER ? "the ESP8266 core passes the whole file to the DER decoder, which fails on the extra bytes: nothing is loaded (rc=-2)"
                                             : "mbedTLS reads the DER length and ignores the tail; it only wastes flash",
          fix: convertFix(file.path, to: .der, output: file.path) ?? "cut the file to its DER length")
    }
    if !target.readsDER {
      let pem = DERConversion.pemName(for: file.path)
      add(.error, .formatDERForESP32, file: file.path,
          "DER file for arduino-esp32: setCACert/setCertificate/setPrivateKey take a NUL-terminated PEM string (strlen()+1)",
          board: "the DER buffer is cut at its first 0x00 byte, so mbedTLS reports a parse error and the connection fails",
          fix: convertFix(file.path, to: .pem, output: pem).map { "use PEM: \($0)" } ?? "use the PEM version of this file")
    }
    if target == .esp8266AxTLS, file.privateKeys.first?.format == .pkcs8 {
      add(.error, .formatPKCS8OnAxTLS, file: file.path,
          "the key is PKCS#8 DER (what OpenSSL 3's `openssl rsa -outform DER` writes); axTLS reads PKCS#1 RSA keys only",
          board: "loadPrivateKey() fails and the handshake cannot sign: rc=-2",
          fix: convertFix(file.path, to: .der, output: file.path).map { "\($0) (writes PKCS#1, like `openssl rsa -traditional`)" }
            ?? "`openssl rsa -in \(file.path) -inform DER -traditional -outform DER -out \(file.path)`")
    }
  }
}
