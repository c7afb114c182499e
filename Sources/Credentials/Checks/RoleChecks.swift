/// §3.5.2/§3.5.3: files that hold the right things under the wrong names or in the wrong order. The sketch
/// loads files by name, so a certificate in the key's file fails even though the set is complete.
extension CheckContext {
  static func namedLikeKey(_ path: String) -> Bool {
    let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
    return name.contains("key") || name.contains("private")
  }

  static func namedLikeCA(_ path: String) -> Bool {
    let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
    // Whole words only ("ca.pem", "broker-ca.crt", "cacert.pem"), so "camera-cert.pem" is not a CA name.
    let words = name.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    return words.contains("ca") || words.contains("cacert") || name.contains("root")
      || name.contains("trust")
  }

  static func namedLikeCertificate(_ path: String) -> Bool {
    let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
    return !namedLikeKey(path) && !namedLikeCA(path) && (name.contains("cert") || name.hasSuffix(".crt") || name.hasSuffix(".cer"))
  }

  mutating func checkRolesInFiles() {
    // Certificate and key swapped: the key's file holds the certificate and the certificate's file the key.
    let keyFiles = files.filter { Self.namedLikeKey($0.path) && !$0.certificates.isEmpty && $0.privateKeys.isEmpty }
    let certFiles = files.filter { Self.namedLikeCertificate($0.path) && !$0.privateKeys.isEmpty && $0.certificates.isEmpty }
    if let keyFile = keyFiles.first, let certFile = certFiles.first {
      add(.error, .keySwapped, file: certFile.path,
          "\(certFile.path) holds the PRIVATE KEY and \(keyFile.path) holds the CERTIFICATE: the two files are swapped",
          board: "the sketch loads the key as a certificate and the certificate as a key; both fail to parse (rc=-2)",
          fix: "swap the two names: `mv \(Self.shellWord(certFile.path)) swap.tmp && mv \(Self.shellWord(keyFile.path)) \(Self.shellWord(certFile.path)) && mv swap.tmp \(Self.shellWord(keyFile.path))`")
    }

    // The CA file holds the device certificate (the file the board uses to verify the server).
    for entry in roles.device where Self.namedLikeCA(entry.file) {
      add(.error, .chainCAIsDeviceCert, file: entry.file,
          "\(entry.file) is named like the CA file, but holds the device certificate \"\(entry.certificate.displayName)\" (the one the key belongs to), not a CA",
          board: "the board verifies the server against the device certificate, which signed nothing: BearSSL rc=-2 / mbedTLS -0x2700 (NOT_TRUSTED)",
          fix: endpoint.isAWS ? "put Amazon Root CA 1 in this file (https://www.amazontrust.com/repository/AmazonRootCA1.pem)"
                              : "put the root CA that signs the server's certificate in this file")
    }

    // The device certificate must come first in its file: stacks send the first certificate as the client's.
    for entry in roles.device where entry.index > 0 && !Self.namedLikeCA(entry.file) {
      let count = allCertificates.filter { $0.file == entry.file }.count
      add(.error, .chainOrder, file: entry.file,
          "\(entry.file) holds \(count) certificates and the device certificate \"\(entry.certificate.displayName)\" is #\(entry.index + 1); the chain must start with it",
          board: "BearSSL (X509List) and mbedTLS (own_cert) present the FIRST certificate as the client certificate; it does not match the private key, so the server rejects the handshake (rc=-2)",
          fix: "reorder the PEM blocks: the device certificate first, then its issuer(s)")
    }
  }
}
