/// The TLS stack that will use the files, and what it accepts (users-and-credentials.md §3.3, §3.4).
public enum TargetPlatform: String, Sendable, Codable, CaseIterable {
  case esp8266BearSSL = "esp8266-bearssl"
  case esp8266AxTLS = "esp8266-axtls"
  case espIDFMbedTLS2 = "esp-idf-mbedtls2"
  case espIDFMbedTLS3 = "esp-idf-mbedtls3"
  case esp32Arduino = "esp32-arduino"

  public var isESP8266: Bool { self == .esp8266BearSSL || self == .esp8266AxTLS }
  /// axTLS as the ESP8266 core (< 2.5) builds it loads DER only: no PEM files, no PKCS#8 keys, no ECDSA.
  public var readsPEM: Bool { self != .esp8266AxTLS }
  /// arduino-esp32's setCACert/setCertificate/setPrivateKey pass strlen()+1 to mbedTLS: PEM strings only
  /// (users-and-credentials.md §3.4).
  public var readsDER: Bool { self != .esp32Arduino }
  /// mbedtls_pem_read_buffer finds a block by searching for its BEGIN header (strstr), so a byte-order mark
  /// or text before it is skipped. BearSSL's PEM decoder recognises BEGIN only at the start of a line
  /// (inferred from its line-oriented decoder), so a byte-order mark in front of the first line hides it.
  public var findsPEMHeaderAnywhere: Bool { isMbedTLS }
  /// mbedTLS picks the key parser by the PEM header (`BEGIN RSA PRIVATE KEY` → PKCS#1 only,
  /// `BEGIN EC PRIVATE KEY` → SEC1 only; pk_parse_key in pkparse.c), BearSSL's key decoder reads the content.
  public var keyParserFollowsPEMLabel: Bool { isMbedTLS }
  /// Bytes after a DER object: the ESP8266 core hands the whole buffer to BearSSL's (or axTLS') decoder,
  /// which fails on them; mbedTLS reads the outer SEQUENCE length and ignores the rest (x509_crt_parse_der).
  public var rejectsBytesAfterDER: Bool { isESP8266 }
  public var isMbedTLS: Bool { !isESP8266 }
  /// arduino-esp32 3.x is built on ESP-IDF 5 and so on mbedTLS 3 (inferred from the IDF 5.0 migration note
  /// in §3.3); users of arduino-esp32 2.x can pass esp-idf-mbedtls2 for the older profile.
  public var mbedTLSMajor: Int? {
    switch self {
    case .espIDFMbedTLS2: 2
    case .espIDFMbedTLS3, .esp32Arduino: 3
    default: nil
    }
  }

  public var displayName: String {
    switch self {
    case .esp8266BearSSL: "ESP8266 Arduino core (BearSSL, core ≥ 2.5)"
    case .esp8266AxTLS: "ESP8266 Arduino core (axTLS, cores 2.4.x: TLS 1.2, DER files only)"
    case .espIDFMbedTLS2: "ESP-IDF 4.x (mbedTLS 2.28)"
    case .espIDFMbedTLS3: "ESP-IDF ≥ 5 (mbedTLS 3)"
    case .esp32Arduino: "arduino-esp32 3.x (mbedTLS 3, PEM strings)"
    }
  }

  /// Smallest RSA modulus accepted for a key that signs a certificate the board verifies, and for the
  /// end-entity. mbedTLS: `rsa_min_bitlen` 2048 in the default profile. BearSSL x509-minimal: 128-byte
  /// modulus (~1017 bits) for end-entity and intermediates, not for trust anchors (`bearssl_x509.h`).
  var minimumRSABits: Int? {
    switch self {
    case .espIDFMbedTLS2, .espIDFMbedTLS3, .esp32Arduino: 2048
    case .esp8266BearSSL: 1017
    case .esp8266AxTLS: nil
    }
  }

  /// Largest RSA modulus: BearSSL's limit is 4096 bits (`bearssl_rsa.h`). axTLS on the ESP8266: the same
  /// bound is assumed (inferred). mbedTLS has no practical limit below 8192.
  var maximumRSABits: Int {
    switch self {
    case .esp8266BearSSL, .esp8266AxTLS: 4096
    default: 8192
    }
  }

  /// Curves for ECDSA certificates and keys. BearSSL `br_ec_all_m15`: P-256/384/521 (Curve25519 is for
  /// ECDHE only). mbedTLS 3 default profile: secp256r1/384r1/521r1 + brainpool 256/384/512. mbedTLS 2: any
  /// enabled curve (ESP-IDF enables the NIST and brainpool curves and secp256k1 by default — inferred).
  /// axTLS has no ECDSA at all (inferred).
  func acceptsCurve(_ curve: NamedCurve) -> Bool {
    switch self {
    case .esp8266BearSSL: [.p256, .p384, .p521].contains(curve)
    case .esp8266AxTLS: false
    case .espIDFMbedTLS3, .esp32Arduino:
      [.p256, .p384, .p521, .brainpoolP256r1, .brainpoolP384r1, .brainpoolP512r1].contains(curve)
    case .espIDFMbedTLS2: curve != .other
    }
  }

  /// Hashes accepted in signatures of certificates the board verifies (not the trusted root's own
  /// self-signature). mbedTLS 3: SHA-256 and up; mbedTLS 2.28: SHA-224 and up; BearSSL on the ESP8266
  /// core installs MD5, SHA-1 and SHA-2 (`br_x509_minimal_install_hashes`).
  func acceptsHash(_ hash: SignatureHash) -> Bool {
    switch self {
    case .espIDFMbedTLS3, .esp32Arduino: hash >= .sha256
    case .espIDFMbedTLS2: hash >= .sha224
    case .esp8266BearSSL, .esp8266AxTLS: hash >= .md5 && hash != .unknown
    }
  }
}
