import Foundation

/// §3.5.10: the sketch-side causes of rc=-2 that no certificate file shows. Plain text matching on the sketch
/// with comments removed: a lint, not a compiler, so the messages say what was matched.
extension CheckContext {
  mutating func lintSketches() {
    for sketch in options.sketches {
      lint(path: sketch.path, code: Self.stripComments(sketch.text))
    }
  }

  private mutating func lint(path: String, code: String) {
    let target = options.target
    let names = Set(files.map { $0.path.hasPrefix("/") ? $0.path : "/" + $0.path })
    let keys = allKeys.compactMap(\.key.publicKey)
    func has(_ s: String) -> Bool { code.contains(s) }

    // File names the sketch opens.
    let literals = Self.stringLiterals(code)
    let credentialSuffixes = [".der", ".pem", ".crt", ".key", ".cer", ".cert"]
    let opened = literals.filter { lit in lit.hasPrefix("/") && credentialSuffixes.contains { lit.lowercased().hasSuffix($0) } }
    for name in Set(opened).sorted() where !names.contains(name) {
      add(.error, .sketchMissingFile, file: path,
          "the sketch opens \"\(name)\", but no such file is in the set (\(names.sorted().joined(separator: ", ")))",
          board: "SPIFFS.open() returns an invalid File; the certificate or key is not loaded: rc=-2",
          fix: "ship the file under that name, or change the name in the sketch (names are case-sensitive and start with \"/\")")
    }

    if target.isESP8266 && target == .esp8266BearSSL {
      let removed = ["loadCertificate(", "loadPrivateKey(", "loadCACert(", "setCACert(", "setCACert_P(",
                     "setCertificate(", "setCertificate_P(", "setPrivateKey(", "setPrivateKey_P("]
      for call in removed where has(call) {
        add(.error, .sketchRemovedAPI, file: path,
            "`\(call)…)` is the axTLS-era API: deprecated shims on BearSSL (they reported success even when parsing failed), removed in ESP8266 core 3.0.0",
            board: "core ≥ 3.0: compile error \"has no member named '\(call.dropLast())'\"; 2.5–2.7: \"loaded\" but rc=-2",
            fix: "BearSSL::X509List cert(certFile, certFile.size()); BearSSL::PrivateKey key(keyFile, keyFile.size()); BearSSL::X509List ca(caFile, caFile.size()); client.setClientRSACert(&cert, &key); client.setTrustAnchors(&ca);")
      }
    }
    if has("setInsecure(") {
      add(.warning, .sketchInsecure, file: path, "`setInsecure()` turns off server verification",
          board: "connects, but anyone on the network can impersonate the server",
          fix: "remove it for production and load the root CA as a trust anchor")
    }
    let clockCalls = target.isESP8266 ? ["configTime(", "setX509Time(", "sntp_"] : ["configTime(", "sntp_", "esp_sntp"]
    if !clockCalls.contains(where: has) {
      add(.warning, .sketchNoClock, file: path,
          "no `configTime(…)`\(target.isESP8266 ? " or `setX509Time(…)`" : "") in the sketch: the certificate dates are checked against a clock that starts at 1970",
          board: target.isESP8266 ? "BR_ERR_X509_EXPIRED (54) / not yet valid: rc=-2" : "mbedTLS BADCERT_FUTURE: -0x2700, rc=-2",
          fix: "call configTime(0, 0, \"pool.ntp.org\") and wait until time(nullptr) > 1600000000 before connecting")
    }
    if has("SPIFFS.begin(") {
      if target.isESP8266 && !has("setAutoFormat(false)") {
        add(.warning, .sketchAutoFormat, file: path,
            "`SPIFFS.begin()` on ESP8266 formats the partition when the image does not mount (FSConfig autoFormat defaults to true)",
            board: "a wrong image layout silently wipes the uploaded certificates: SPIFFS.open() fails, rc=-2",
            fix: "SPIFFSConfig cfg; cfg.setAutoFormat(false); SPIFFS.setConfig(cfg); then check SPIFFS.begin()'s result")
      } else if !target.isESP8266 && has("SPIFFS.begin(true") {
        add(.warning, .sketchAutoFormat, file: path, "`SPIFFS.begin(true)` formats the partition when it does not mount",
            board: "a mismatched image is wiped silently: the certificates are gone, rc=-2",
            fix: "use SPIFFS.begin(false) and report the failure")
      }
    }
    if !target.isESP8266 {
      let pemOnly = ["setCACert(", "setCertificate(", "setPrivateKey("].filter(has)
      let derNames = opened.filter { $0.lowercased().hasSuffix(".der") }
      if !pemOnly.isEmpty && !derNames.isEmpty {
        add(.error, .sketchPEMOnlyLoader, file: path,
            "the sketch reads \(derNames.joined(separator: ", ")) and calls \(pemOnly.map { "`\($0)…)`" }.joined(separator: ", ")), which take NUL-terminated PEM text",
            board: "the DER bytes are cut at the first 0x00: mbedTLS parse error, connection fails",
            fix: "ship PEM files (`espflash-swift certs convert X.der --to pem`) or use the (const uint8_t*, size_t) loaders that take a length")
      }
    } else if target == .esp8266AxTLS && has("loadCertificate(") && opened.contains(where: { $0.hasSuffix(".pem") || $0.hasSuffix(".crt") }) {
      add(.warning, .sketchPEMOnlyLoader, file: path,
          "axTLS `loadCertificate`/`loadPrivateKey` are used with PEM-named files; the axTLS loaders expect DER (inferred)",
          board: "\"cert loaded\" may print while parsing failed: rc=-2", fix: "ship DER files (`espflash-swift certs convert X.pem --to der`)")
    }
    if let range = code.range(of: "setBufferSizes(") {
      let args = code[range.upperBound...].prefix { $0 != ")" }.filter { !$0.isWhitespace }
      if let first = args.split(separator: ",").first, let rx = Int(first), rx < 16384 {
        add(.warning, .sketchBufferSizes, file: path,
            "`setBufferSizes(\(args))` shrinks the receive buffer below 16 KB; that only works when the server negotiates MFLN (AWS IoT reportedly does not)",
            board: "records larger than the buffer break the handshake: rc=-2",
            fix: "keep the default buffers for AWS IoT, or check client.probeMaxFragmentLength(host, port, \(rx)) first")
      }
    }
    if let key = keys.first {
      if case .ec = key, has("setClientRSACert(") {
        add(.error, .sketchKeyTypeCall, file: path, "the key is \(key.summary) but the sketch calls `setClientRSACert`",
            board: "the handshake fails: rc=-2", fix: "use setClientECCert(&cert, &key, allowed_usages, cert_issuer_key_type)")
      } else if case .rsa = key, has("setClientECCert(") {
        add(.error, .sketchKeyTypeCall, file: path, "the key is \(key.summary) but the sketch calls `setClientECCert`",
            board: "the handshake fails: rc=-2", fix: "use setClientRSACert(&cert, &key)")
      }
    }
  }

  /// Removes // and /* */ comments, keeping string literals intact.
  static func stripComments(_ text: String) -> String {
    var out: [Character] = []
    let chars = Array(text)
    var i = 0
    var inString = false
    while i < chars.count {
      let c = chars[i]
      let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
      if inString {
        out.append(c)
        if c == "\\", let n = next { out.append(n); i += 2; continue }
        if c == "\"" { inString = false }
        i += 1
      } else if c == "\"" {
        inString = true; out.append(c); i += 1
      } else if c == "/" && next == "/" {
        while i < chars.count && chars[i] != "\n" { i += 1 }
      } else if c == "/" && next == "*" {
        i += 2
        while i + 1 < chars.count && !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
        i += 2
      } else {
        out.append(c); i += 1
      }
    }
    return String(out)
  }

  /// The contents of "…" literals (no escapes decoded beyond skipping them; names never contain any).
  static func stringLiterals(_ code: String) -> [String] {
    var literals: [String] = []
    var current = ""
    var inString = false
    var escaped = false
    for c in code {
      if inString {
        if escaped { escaped = false; current.append(c) } else if c == "\\" { escaped = true }
        else if c == "\"" { literals.append(current); current = ""; inString = false }
        else if c == "\n" { current = ""; inString = false } else { current.append(c) }
      } else if c == "\"" {
        inString = true
      }
    }
    return literals
  }
}
