import Credentials
import ESPFlashKit

extension ConversionError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    switch self {
    case .multipleObjects: "split the file: one certificate or key per DER file (PEM may hold a chain)"
    case .encryptedKey: "the board cannot decrypt keys; decrypt once with openssl and keep the result private"
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
