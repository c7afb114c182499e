import Credentials
import ESPFlashKit

extension ConversionError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    switch self {
    case .multipleObjects: "split the file: one certificate or key per DER file (PEM may hold a chain)"
    case .encryptedKey: "the board cannot decrypt keys; decrypt once with openssl and keep the result private"
    case .pkcs12: "a .pfx/.p12 holds the certificate and key behind a passphrase; after extracting them, convert each file"
    case .chainToDER: "use --to pem: one PEM file holds the whole chain"
    case .corruptKey: "restore the key from its original download; `certs check` says what is wrong with it"
    case .nameCollision: "use --rename FROM=TO to pick another name"
    default: nil
    }
  }
  public var exitStatus: ExitStatus {
    if case .badRename = self { return .usage }
    return .dataError
  }
}

extension CHeader.HeaderError: ReportableError {
  public var message: String { description }
  public var hint: String? { nil }
  public var exitStatus: ExitStatus { .dataError }
}

extension TooManyCredentialInputs: ReportableError {
  public var message: String { description }
  public var hint: String? { nil }
  public var exitStatus: ExitStatus { .usage }
}
