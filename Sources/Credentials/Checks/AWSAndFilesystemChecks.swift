/// §3.5.7 device-certificate shape (and the AWS issuer), §3.5.8 filesystem names and fit, §3.5.9 ESP8266 heap hint.
extension CheckContext {
  /// SPIFFS_OBJ_NAME_LEN is 32 including the NUL, and the leading "/" counts (users-and-credentials.md P6;
  /// ESP8266 LittleFS has the same limit).
  static let maxFSNameBytes = 31
  /// Certificates and keys are 0.3–2 KB; a credential file far above this is probably the wrong file.
  static let largeCredentialBytes = 16 * 1024

  mutating func checkDeviceShape() {
    for entry in roles.device {
      let cert = entry.certificate
      // A TLS client certificate must allow client authentication and signing (RFC 5280 §4.2.1.3, §4.2.1.12),
      // whatever the server: brokers, AWS IoT and mbedTLS servers all check it.
      if let eku = cert.extendedKeyUsage, !eku.contains(OID.clientAuth), !eku.contains(OID.anyExtendedKeyUsage) {
        let names = eku.map { $0 == OID.serverAuth ? "serverAuth" : $0 }.joined(separator: ", ")
        add(.error, .deviceExtendedKeyUsage, file: entry.file,
            "\(entry.label) is used as the client certificate, but its extendedKeyUsage (\(names)) does not include clientAuth (TLS Web Client Authentication)",
            board: "the server refuses it as a client certificate: TLS alert (unsupported_certificate / bad_certificate), rc=-2",
            fix: "re-issue the device certificate with `extendedKeyUsage = clientAuth`")
      }
      if cert.hasKeyUsageExtension && !cert.hasKeyUsage(.digitalSignature) {
        add(.error, .deviceKeyUsage, file: entry.file,
            "\(entry.label) has a keyUsage without digitalSignature, which a TLS client certificate needs to sign the handshake",
            board: "the server rejects the CertificateVerify: rc=-2",
            fix: "re-issue the device certificate with `keyUsage = digitalSignature`")
      }
      let issuedByAWS = cert.issuer.attributes.contains { ($0.type == "OU" || $0.type == "O") && $0.value.contains("Amazon Web Services") }
      guard endpoint.isAWS || issuedByAWS else { continue }
      if issuedByAWS {
        add(.info, .awsIssuer, file: entry.file,
            "issued by AWS IoT (\"\(cert.issuer.text)\"); its status (ACTIVE) and attached policy can only be checked online: `aws iot describe-certificate` / `aws iot list-principal-policies`",
            board: "inactive certificate: rc=-2; no or too narrow policy: the broker closes the connection after CONNECT, rc=-4 (inferred mapping)")
      } else {
        add(.warning, .awsIssuer, file: entry.file,
            "issued by \"\(cert.issuer.text)\", not by AWS IoT: this CA must be registered with AWS IoT (RegisterCACertificate, or the certificate registered with RegisterCertificateWithoutCA) and the certificate ACTIVE",
            board: "unregistered or inactive: AWS rejects the handshake, rc=-2",
            fix: "register the CA / certificate in AWS IoT, or use a certificate created by AWS IoT (CreateKeysAndCertificate)")
      }
      if cert.isCA == true {
        add(.warning, .awsCAFlag, file: entry.file, "the device certificate is marked CA:TRUE",
            fix: "device certificates should have `basicConstraints = CA:FALSE`")
      }
    }
  }

  mutating func checkFilesystem() {
    for file in files {
      let name = file.path.hasPrefix("/") ? file.path : "/" + file.path
      let length = name.utf8.count
      if length > Self.maxFSNameBytes {
        add(.error, .fsNameTooLong, file: file.path,
            "the SPIFFS name \"\(name)\" is \(length) bytes; at most \(Self.maxFSNameBytes) fit, including the leading \"/\" (SPIFFS_OBJ_NAME_LEN 32 with the NUL)",
            board: "mkspiffs: SPIFFS_write error(-10010); on the board SPIFFS.open() fails or the name is garbled, so the certificate is not loaded (rc=-2)",
            fix: "rename it to at most \(Self.maxFSNameBytes - 1) bytes (e.g. cert.der / private.der / ca.der) and change the name in the sketch")
      }
      if name.utf8.contains(where: { $0 < 0x21 || $0 > 0x7E || $0 == UInt8(ascii: "\\") }) {
        add(.warning, .fsNameCharacters, file: file.path,
            "the name contains spaces, backslashes or non-ASCII bytes; sketches usually spell names in plain ASCII",
            board: "SPIFFS.open() with a differently spelled name returns false", fix: "rename it to letters, digits, '.', '-', '_'")
      }
      if file.size == 0 {
        add(.error, .fsEmptyFile, file: file.path, "the file is empty",
            board: "the loader reads nothing: rc=-2", fix: "copy the real file (a failed download often leaves 0 bytes)")
      } else if file.isCredential && file.size > Self.largeCredentialBytes {
        add(.warning, .fsLargeFile, file: file.path,
            "\(file.size) bytes is large for a certificate or key (they are usually 0.3–2 KB)",
            board: "the loader may run out of heap on ESP8266",
            fix: "ship only the certificates the board needs (one root, not a whole CA bundle)")
      }
    }
  }

  mutating func checkHeap() {
    guard options.target.isESP8266 else { return }
    let certs = allCertificates
    guard !certs.isEmpty else { return }
    let largest = certs.max { $0.certificate.der.count < $1.certificate.der.count }
    add(.info, .heapESP8266, file: nil,
        "\(certs.count) certificate(s), largest \(largest?.certificate.der.count ?? 0) bytes (\(largest?.label ?? "")); BearSSL needs ~22–28 KB of free heap at connect time (16 KB receive buffer) unless the server negotiates MFLN. setBufferSizes(512, 512) is unsafe unless it does (AWS IoT reportedly ignores MFLN)",
        board: "out of memory: rc=-2 with getLastSSLError() reporting OOM, or a crash",
        fix: "connect early, before large allocations; check ESP.getFreeHeap() just before connect()")
    var reported = Set<String>()
    for entry in roles.trust + roles.device {
      if case .rsa(let bits, _, _) = entry.certificate.publicKey, bits >= 4096, bits <= options.target.maximumRSABits,
         !reported.contains(entry.file) {
        reported.insert(entry.file)
        add(.warning, .heapRSA4096, file: entry.file,
            "\(entry.label) has an RSA-\(bits) key; on the ESP8266 RSA-4096 operations are much slower and need more stack and heap than RSA-2048 (inferred)",
            board: "slow handshakes, watchdog resets or OOM (rc=-2)",
            fix: roles.device.contains(where: { $0.file == entry.file }) ? "use an RSA-2048 or EC P-256 device key"
                                                                         : "ship the RSA-2048 root instead (Amazon Root CA 1 rather than CA 2)")
      }
    }
  }
}
