/// TLS credentials for ESP8266/ESP32 boards: detect, check, convert and embed.
///
/// Parsing is swift-certificates' (certificates), swift-crypto's (keys) and SwiftASN1's (structures); a small
/// diagnostic layer (`ASN1Nodes`, `CertificateDiagnosis`, the PEM scanner) only names what those refuse.
///
/// Entry points (all synchronous, bytes in, values out; private key material is parsed but never kept or
/// printed — `ParsedPrivateKey` holds only the public half):
/// - `CredentialFile.inspect(path:bytes:)` — what a file is (PEM/DER, certificates, PKCS#1/SEC1/PKCS#8 keys,
///   encrypted or corrupt keys, PKCS#12, trailing bytes, and the PEM text defects: BOM, CRLF, indentation,
///   literal `\n`, text outside blocks).
/// - `CredentialChecker.check(files:options:)` / `checkCredentials(files:target:endpoint:at:)` — the offline
///   checks of users-and-credentials.md §3.5 as `[Finding]` (severity, `CheckID`, file, message, board
///   error, fix). `CredentialChecker.looksLikeCredential(name:bytes:)` picks the files to check or convert.
/// - `CredentialConversion.convert(_:name:to:pkcs8:)` — PEM ↔ DER, byte-identical to openssl 3.0.
/// - `DERConversion.convertForImage(files:renames:)` — the `fs build --der` step.
/// - `CHeader.render(files:options:)` — C arrays (`xxd -i` names), optionally PROGMEM or PEM strings.
public enum CredentialsLibrary {
  /// Where the checks' rules come from.
  public static let reference = "docs/users-and-credentials.md §3 (TLS credentials), §3.5 (the 11 checks)"
}
