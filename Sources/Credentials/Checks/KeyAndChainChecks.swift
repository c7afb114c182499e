/// §3.5.2 key ↔ certificate and §3.5.3 chain and anchor: which file is for what, and whether it can work.
extension CheckContext {
  mutating func checkKeys() {
    let keys = allKeys
    let certs = allCertificates
    for (file, key) in keys {
      guard let publicKey = key.publicKey else {
        add(.info, .keyMatch, file: file, "the \(key.summary) key's public half cannot be derived here; key ↔ certificate match not checked")
        continue
      }
      if let match = certs.first(where: { $0.certificate.publicKey == publicKey }) {
        add(.info, .keyMatch, file: file, "\(key.summary) private key matches the certificate in \(match.label) (\"\(match.certificate.displayName)\")")
      } else if let leaf = certs.first(where: { !$0.certificate.actsAsCA }) {
        add(.error, .keyMismatch, file: file,
            "this \(key.summary) private key does not belong to the certificate in \(leaf.label) (\(leaf.certificate.publicKey.summary), \"\(leaf.certificate.displayName)\"): the public keys differ",
            board: "the TLS handshake fails when the server checks the client's signature (AWS closes the connection): rc=-2",
            fix: "ship the key that was created with this certificate (AWS: the `…-private.pem.key` downloaded together with `…-certificate.pem.crt`), or a new certificate for this key")
      } else {
        add(.warning, .certMissing, file: file,
            "private key without a device certificate in the set",
            board: "client authentication cannot work without the certificate: rc=-2",
            fix: "add the device certificate that belongs to this key")
      }
    }
    let unusableKey = files.contains { $0.objects.contains {
      switch $0 {
      case .encryptedPrivateKey, .corruptPrivateKey, .pkcs12: true
      default: false
      }
    } }
    guard keys.isEmpty && !unusableKey else { return }
    // A public key where the private key belongs (AWS downloads both; the names are close).
    var explained = false
    for file in files {
      for case .publicKey(let key) in file.objects {
        guard let device = roles.device.first(where: { $0.certificate.publicKey == key }) else { continue }
        explained = true
        add(.error, .keyPublicNotPrivate, file: file.path,
            "holds the PUBLIC key of the device certificate in \(device.label), not its private key",
            board: "the client cannot sign the handshake without the private key: rc=-2 (the file fails to load as a private key)",
            fix: "ship the private key instead (AWS: the `…-private.pem.key` file from the same download, not `…-public.pem.key`)")
      }
    }
    if !explained {
      for entry in roles.device {
        add(endpoint.isAWS ? .error : .warning, .keyMissing, file: entry.file,
            "device certificate \"\(entry.certificate.displayName)\" has no private key in the set",
            board: "mutual TLS (required by AWS IoT) fails without the key: rc=-2",
            fix: "add the private key file (e.g. private.der) next to the certificate")
      }
    }
    if endpoint.isAWS && roles.device.isEmpty && !files.contains(where: { $0.objects.contains { if case .certificateRequest = $0 { true } else { false } } }) {
      add(.warning, .keyClientCredentialsMissing, file: nil,
          "only a root CA for \(options.endpoint ?? "the endpoint"); AWS IoT uses mutual TLS, so the board also needs its device certificate and private key",
          board: "AWS closes the handshake when the client presents no certificate: rc=-2",
          fix: "add the device certificate and private key (AWS IoT console: Create certificate, download both)")
    }
  }

  mutating func checkChain() {
    checkRolesInFiles()
    describeRoles()
    checkSignatures()
    checkAnchors()
  }

  private mutating func describeRoles() {
    for entry in roles.device {
      add(.info, .chainRoles, file: entry.file,
          "\(entry.label) is the device (client) certificate: the board sends it to the server, which verifies it; the board never verifies it itself")
    }
    for entry in roles.clientChain {
      add(.info, .chainRoles, file: entry.file,
          "\(entry.label) (\"\(entry.certificate.displayName)\") is sent with the device certificate as its chain")
    }
    for entry in roles.trust {
      add(.info, .chainRoles, file: entry.file,
          "\(entry.label) (\"\(entry.certificate.displayName)\") is a trust anchor: the board uses it to verify the SERVER's certificate chain")
      let trustIssuers = roles.trust.filter { $0.certificate.subject == entry.certificate.issuer }
      if entry.certificate.actsAsCA && !entry.certificate.isSelfIssued && trustIssuers.isEmpty {
        add(.warning, .chainIntermediateAnchor, file: entry.file,
            "\(entry.label) is an intermediate CA (issued by \"\(entry.certificate.issuer.text)\"), not a root, and its root is not in the set",
            board: "BearSSL and mbedTLS accept it as an anchor, but verification fails (rc=-2 / -0x2700 NOT_TRUSTED) as soon as the server is moved to another intermediate",
            fix: "ship the root CA \"\(entry.certificate.issuer.commonName ?? entry.certificate.issuer.text)\" (alone or together with this intermediate)")
      }
      if !entry.certificate.actsAsCA {
        add(.warning, .chainAnchorNotCA, file: entry.file,
            "\(entry.label) is not a CA certificate (basicConstraints CA:FALSE), so as an anchor it only works as an exact pinned server certificate",
            board: "if the server presents any other certificate: rc=-2 / mbedTLS -0x2700 (NOT_TRUSTED)",
            fix: "ship the root CA that signs the server's certificate instead")
      }
    }
  }

  /// Device → issuer signatures, and chains inside trust files.
  private mutating func checkSignatures() {
    let certs = allCertificates
    for entry in roles.device + roles.clientChain + roles.trust {
      let cert = entry.certificate
      if cert.isSelfIssued {
        if case .invalid = SignatureCheck.verify(cert, signedBy: cert) {
          add(.error, .chainBadSignature, file: entry.file, "\(entry.label) is self-issued but its self-signature does not verify",
              board: "mbedTLS -0x2700 (NOT_TRUSTED) if it is ever verified", fix: "its bytes were altered after signing: fetch the certificate again from the CA that issued it")
        }
        continue
      }
      let issuers = certs.filter { $0.certificate.subject.der == cert.issuer.der && !($0.file == entry.file && $0.index == entry.index) }
      guard !issuers.isEmpty else {
        if roles.device.contains(where: { $0.file == entry.file && $0.index == entry.index }) {
          add(.info, .chainIssuerNotShipped, file: entry.file,
              "issuer \"\(cert.issuer.text)\" is not in the set; that is normal: the server checks the device certificate against the CA registered with it"
              + (endpoint.isAWS ? " (AWS IoT: its own CA or your registered CA)" : ""))
        }
        continue
      }
      let results = issuers.map { SignatureCheck.verify(cert, signedBy: $0.certificate) }
      if results.contains(.valid) { continue }
      if results.allSatisfy({ $0 == .invalid }) {
        add(.error, .chainBadSignature, file: entry.file,
            "\(entry.label) names \"\(cert.issuer.text)\" as issuer, but its signature does not verify with the key of \(issuers[0].label)",
            board: "the peer rejects the chain: mbedTLS -0x2700 (NOT_TRUSTED) / TLS alert, rc=-2",
            fix: "the issuer certificate is a different (re-keyed) CA with the same name: ship the CA that really signed it")
      }
    }
  }

  private mutating func checkAnchors() {
    let trust = roles.trust
    let deviceIssuerDNs = Set(roles.device.map(\.certificate.issuer.der))
    if trust.isEmpty {
      if findings.contains(where: { $0.check == .chainCAIsDeviceCert }) { return }
      if !roles.device.isEmpty || (options.endpoint != nil && !allKeys.isEmpty) {
        let known = endpoint != .none
        add(known ? .error : .warning, .chainNoAnchor, file: nil,
            "no CA certificate for verifying the server is in the set",
            board: "BearSSL: \"Connection *will* fail, no authentication method is setup\" (debug builds), rc=-2; mbedTLS: verification fails",
            fix: endpoint.isAWS ? "add Amazon Root CA 1 (AmazonRootCA1.pem from https://www.amazontrust.com/repository/) and load it with BearSSL::X509List + setTrustAnchors (ESP8266) or setCACert (ESP32)"
              : "add the root CA that signs the server's certificate")
      }
      return
    }
    let accepted: [KnownAnchor]
    let wanted: String
    switch endpoint {
    case .awsATS:
      accepted = KnownAnchor.awsATSRoots
      wanted = "Amazon Root CA 1 (or Amazon Root CA 2–4 / Starfield Services Root G2)"
    case .mosquitto:
      accepted = [KnownAnchor.mosquittoOrg2020]
      wanted = "the current (2020) mosquitto.org CA"
    case .awsLegacy:
      add(.warning, .chainLegacyEndpoint, file: nil,
          "\(options.endpoint ?? "") is a legacy AWS IoT endpoint (no -ats): it serves a Symantec/VeriSign chain, which AWS has deprecated",
          board: "rc=-2 once the legacy chain is gone",
          fix: "use the ATS endpoint (`aws iot describe-endpoint --endpoint-type iot:Data-ATS`) with Amazon Root CA 1")
      return
    case .other(let host):
      add(.info, .chainRoles, file: nil,
          "cannot tell offline which root signs \(host)'s certificate: make sure the trust anchor above is it (`openssl s_client -connect \(host):8883 -showcerts`)")
      return
    case .none:
      return
    }
    let good = trust.filter { entry in accepted.contains { $0.matches(entry.certificate) } }
    for entry in good {
      let name = accepted.first { $0.matches(entry.certificate) }?.name ?? ""
      add(.info, .chainRoles, file: entry.file, "\(entry.label) is \(name): the right anchor for \(options.endpoint ?? "")")
    }
    for entry in trust where !good.contains(where: { $0.file == entry.file && $0.index == entry.index }) {
      let cert = entry.certificate
      var why = "\(entry.label) (\"\(cert.displayName)\") does not anchor \(options.endpoint ?? "the server")'s chain, which needs \(wanted)"
      if deviceIssuerDNs.contains(cert.subject.der) {
        why += ". It is the CA that issued your DEVICE certificate: that CA is what the server uses to check the device; the board needs the server's root"
      } else if options.knownBad.contains(where: { $0.matches(cert) }) {
        why += ". It is a known-bad legacy root (see known-bad.fingerprint)"
      }
      add(good.isEmpty ? .error : .warning, .chainWrongAnchor, file: entry.file, why,
          board: "BearSSL: the server's chain has no trust anchor → rc=-2; mbedTLS: -0x2700 (NOT_TRUSTED)",
          fix: good.isEmpty
            ? (endpoint == .awsATS ? "replace it with Amazon Root CA 1 (AmazonRootCA1.pem, https://www.amazontrust.com/repository/AmazonRootCA1.pem)" : "replace it with \(wanted)")
            : "remove it; \(good[0].label) is the anchor that works")
    }
  }
}
