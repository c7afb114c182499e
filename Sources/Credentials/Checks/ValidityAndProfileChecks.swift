/// §3.5.4 validity, §3.5.5 target profile, §3.5.6 known-bad fingerprints.
extension CheckContext {
  static func day(_ seconds: Int64) -> String {
    // civil-from-days, the inverse of ASN1Time.daysFromCivil.
    let z = Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400) + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(y)-\(two(m))-\(two(d))"
  }

  private func isTrust(_ entry: CertificateEntry) -> Bool {
    roles.trust.contains { $0.file == entry.file && $0.index == entry.index }
  }

  mutating func checkValidity() {
    let certs = allCertificates
    guard !certs.isEmpty else { return }
    let at = Self.day(now)
    for entry in certs {
      let cert = entry.certificate
      let span = "valid \(Self.day(cert.notBefore)) to \(Self.day(cert.notAfter))"
      // BearSSL does not check a trust anchor's own dates; mbedTLS checks every certificate including the
      // root (§3.4 "Time").
      let anchorOnBearSSL = isTrust(entry) && options.target.isESP8266
      if cert.notAfter < now {
        add(anchorOnBearSSL ? .warning : .error, .validityExpired, file: entry.file,
            "\(entry.label) (\"\(cert.displayName)\") expired on \(Self.day(cert.notAfter)) (\(span); checked at \(at))"
              + (anchorOnBearSSL ? "; BearSSL ignores an anchor's own dates, but the chain it signed has probably expired too" : ""),
            board: isTrust(entry) ? "mbedTLS -0x2700 (BADCERT_EXPIRED 0x01) / BR_ERR_X509_EXPIRED (54) for the chain / rc=-2"
                                  : "the server rejects the client certificate (TLS alert certificate_expired): rc=-2",
            fix: isTrust(entry) ? "replace it with the CA's current certificate" : "issue a new certificate (AWS IoT: create and attach a new certificate) and ship it with its key")
      } else if cert.notBefore > now {
        add(.error, .validityNotYetValid, file: entry.file,
            "\(entry.label) (\"\(cert.displayName)\") is not valid until \(Self.day(cert.notBefore)) (\(span); checked at \(at))",
            board: isTrust(entry) ? "mbedTLS -0x2700 (BADCERT_FUTURE 0x0200) / BR_ERR_X509_EXPIRED (54) / rc=-2"
                                  : "the server rejects the client certificate (TLS alert): rc=-2",
            fix: "check the issuing machine's clock and re-issue the certificate, or deploy after \(Self.day(cert.notBefore))")
      } else if cert.notAfter - now < Int64(options.expiryWarningDays) * 86_400 {
        add(.warning, .validityExpiringSoon, file: entry.file,
            "\(entry.label) (\"\(cert.displayName)\") expires on \(Self.day(cert.notAfter)), within \(options.expiryWarningDays) days of \(at)",
            board: "after that date: BR_ERR_X509_EXPIRED (54) / mbedTLS BADCERT_EXPIRED / rc=-2",
            fix: "plan the renewal and a way to update the file on deployed boards")
      }
      if options.target == .esp8266AxTLS && cert.notAfterIsGeneralizedTime {
        add(.warning, .validityAxTLS2050, file: entry.file,
            "\(entry.label) is valid until \(Self.day(cert.notAfter)) (a year ≥ 2050, encoded as GeneralizedTime); old axTLS read such dates as 1913 (esp8266/Arduino#4004)",
            board: "X509_VFY_ERROR_EXPIRED on axTLS builds with that bug",
            fix: "use the BearSSL core (≥ 2.5) — axTLS was removed in core 3.0")
      }
    }
    add(.info, .validityClock, file: nil,
        "the board checks these dates, so it needs the real time before connecting: SNTP (`configTime(…)` and wait until time(nullptr) is past 2020) or `setX509Time()` on ESP8266",
        board: "without it: BR_ERR_X509_EXPIRED (54) / X509_VFY_ERROR_NOT_YET_VALID / mbedTLS BADCERT_FUTURE, rc=-2")
  }

  mutating func checkProfile() {
    let target = options.target
    let stack = target.displayName
    // Keys the board verifies with (trust anchors sign the server's chain).
    for entry in roles.trust {
      checkKey(entry.certificate.publicKey, role: .anchor, file: entry.file, label: entry.label)
    }
    // Keys the board signs with: the device certificate's key and the private key files.
    for entry in roles.device {
      checkKey(entry.certificate.publicKey, role: .device, file: entry.file, label: entry.label)
    }
    for (file, key) in allKeys where roles.device.isEmpty {
      if let publicKey = key.publicKey { checkKey(publicKey, role: .device, file: file, label: file) }
    }
    // Hashes of certificates other peers verify (the device certificate and its chain).
    for entry in roles.device + roles.clientChain {
      let cert = entry.certificate
      guard !cert.isSelfIssued else { continue }
      if cert.signatureAlgorithm.hash != .intrinsic, cert.signatureAlgorithm.hash != .unknown,
         !target.acceptsHash(cert.signatureAlgorithm.hash) || cert.signatureAlgorithm.hash <= .sha1 {
        let hash = cert.signatureAlgorithm.hash.rawValue
        let message: String
        if let major = target.mbedTLSMajor {
          message = "\(entry.label) is signed with \(cert.signatureAlgorithm.name); mbedTLS \(major)'s default profile (\(stack)) refuses \(hash) in the signature of any certificate it verifies (it allows \(major == 3 ? "SHA-256" : "SHA-224") and up)"
        } else {
          message = "\(entry.label) is signed with \(cert.signatureAlgorithm.name); BearSSL accepts it, but mbedTLS peers and current servers refuse \(hash) certificate signatures"
        }
        add(target.isMbedTLS ? .error : .warning, .profileHash, file: entry.file, message,
            board: "-0x2700 \"certificate is signed with an unacceptable hash\" (MBEDTLS_X509_BADCERT_BAD_MD 0x4000) wherever mbedTLS verifies it; other servers reject SHA-1 too (rc=-2)",
            fix: "re-issue the certificate with SHA-256 (`openssl x509 -req … -sha256`; AWS-issued certificates already are)")
      }
      if cert.signatureAlgorithm.kind == .unknown || cert.signatureAlgorithm.kind == .rsaPSS {
        add(.warning, .profileAlgorithm, file: entry.file,
            "\(entry.label) uses signature algorithm \(cert.signatureAlgorithm.name), which small TLS stacks often lack",
            board: "rc=-2 if the peer cannot verify it", fix: "re-issue with sha256WithRSAEncryption or ecdsa-with-SHA256")
      }
    }
  }

  enum KeyRole { case anchor, device }

  private mutating func checkKey(_ key: PublicKeyInfo, role: KeyRole, file: String, label: String) {
    let target = options.target
    let stack = target.displayName
    let who = role == .anchor ? "trust anchor \(label)" : "device key in \(label)"
    switch key {
    case .rsa(let bits, _, _):
      if bits > target.maximumRSABits {
        add(.error, .profileKey, file: file, "\(who) is RSA-\(bits); \(stack) handles at most RSA-\(target.maximumRSABits)",
            board: "the key cannot be used: rc=-2", fix: "use an RSA-2048 (or EC P-256) key")
      } else if bits < 2048 {
        let hardMinimum = target.minimumRSABits ?? 0
        if role == .anchor && target.isMbedTLS {
          add(.error, .profileKey, file: file,
              "\(who) is RSA-\(bits); \(stack)'s default profile requires RSA ≥ 2048 for every key that signs a certificate it verifies",
              board: "-0x2700 \"The certificate is signed with an unacceptable key (eg bad curve, RSA too short)\" (MBEDTLS_X509_BADCERT_BAD_KEY 0x010000) for every server certificate this CA signed",
              fix: "use the server's current CA with an RSA-2048+ key (e.g. the 2020 mosquitto.org CA for test.mosquitto.org)")
        } else if role == .anchor {
          add(.warning, .profileKey, file: file,
              "\(who) is RSA-\(bits): BearSSL does not size-check trust anchors, but mbedTLS (ESP32) and OpenSSL peers reject keys under 2048 bits",
              board: "on ESP32/mbedTLS: -0x2700 (BAD_KEY)", fix: "move the server to a CA with an RSA-2048 (or stronger) key")
        } else {
          // The board does not verify its own certificate; the server does, so this is the server's call.
          _ = hardMinimum
          add(.warning, .profileKey, file: file,
              "\(who) is RSA-\(bits); servers commonly require RSA ≥ 2048 for client certificates (mbedTLS' default profile, AWS IoT)",
              board: "a server that enforces it rejects the client certificate: rc=-2", fix: "create a new RSA-2048 (or EC P-256) key and certificate")
        }
      }
    case .ec(let curve, let oid, _):
      if target == .esp8266AxTLS {
        add(.error, .profileAlgorithm, file: file, "\(who) is an EC key; axTLS supports RSA only (inferred)",
            board: "the handshake fails: rc=-2", fix: "use the BearSSL core (≥ 2.5), or RSA keys and an RSA root (Amazon Root CA 1)")
      } else if !target.acceptsCurve(curve) {
        let name = curve == .other ? oid : curve.rawValue
        add(.error, .profileCurve, file: file,
            "\(who) uses curve \(name), which \(stack) does not accept"
              + (target.isMbedTLS ? " (mbedTLS 3 default profile: P-256/384/521 and brainpool only)" : " (BearSSL: P-256, P-384, P-521)"),
            board: target.isMbedTLS ? "-0x2700 (MBEDTLS_X509_BADCERT_BAD_KEY 0x010000, \"bad curve\")" : "the key cannot be used: rc=-2",
            fix: "use P-256 (`openssl ecparam -name prime256v1 -genkey`) or RSA-2048")
      }
    case .rsaPSS(let bits, _):
      add(.error, .profileAlgorithm, file: file,
          "\(who) is an RSA-PSS key (id-RSASSA-PSS, RSA-\(bits)); neither BearSSL's X.509 decoder nor mbedTLS' key parser accepts that key type in a certificate (inferred from their key-type tables)",
          board: "the certificate or key fails to parse: rc=-2 / mbedTLS -0x3C80 (PK_UNKNOWN_PK_ALG)",
          fix: "create a plain RSA key (`openssl genpkey -algorithm RSA`) or EC P-256 key and a new certificate for it")
    case .ed25519:
      add(.error, .profileAlgorithm, file: file, "\(who) is Ed25519, which \(stack) cannot use in certificates",
          board: "rc=-2 / mbedTLS parse error", fix: "use EC P-256 or RSA-2048")
    case .other(let oid):
      add(.error, .profileAlgorithm, file: file, "\(who) uses key algorithm \(oid), which \(stack) does not support",
          board: "rc=-2", fix: "use EC P-256 or RSA-2048")
    }
  }

  mutating func checkKnownBad() {
    for entry in allCertificates {
      guard let bad = options.knownBad.first(where: { $0.matches(entry.certificate) }) else { continue }
      let how = bad.certificateSHA256 == entry.certificate.sha256Fingerprint ? "certificate SHA-256 \(bad.certificateSHA256)"
                                                                            : "public key (SPKI) SHA-256 \(bad.spkiSHA256 ?? "")"
      add(.error, .knownBadFingerprint, file: entry.file,
          "\(entry.label) is \(bad.name) (matched by \(how)): \(bad.note)",
          board: bad.boardError,
          fix: bad.name.hasPrefix("VeriSign") ? "use Amazon Root CA 1 with the -ats endpoint"
             : bad.name.hasPrefix("mosquitto") ? "use the current mosquitto.org.crt (2020, RSA-2048) from https://test.mosquitto.org/"
             : "replace it with the server's current root CA (e.g. ISRG Root X1 for Let's Encrypt)")
    }
  }
}
