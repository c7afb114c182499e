import ESPFlashKit
import LittleFS
import SPIFFS

/// How the LittleFS failures read on the command line.
extension LittleFSImageDoesNotFit: ReportableError {
  public var message: String { description }
  public var hint: String? {
    var parts: [String] = []
    if let fits {
      parts.append("--layout \(fits.name) (\(ByteSize.human(fits.imageSize)) at \(Hex.address(fits.flashOffset))) would hold them")
    }
    parts.append("every LittleFS file above the inline limit takes whole blocks; no image was written")
    return parts.joined(separator: "; ")
  }
  public var exitStatus: ExitStatus { .dataError }
}

extension UnsupportedFileSystem: ReportableError {
  public var message: String { description }
  public var hint: String? {
    found == .fat ? "espflash-swift reads SPIFFS and LittleFS; read FAT images with a FAT tool (e.g. mtools) after removing wear levelling"
      : "nothing to read: flash an image first (fs upload)"
  }
  public var exitStatus: ExitStatus { .dataError }
}

extension LittleFSReadError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    switch self {
    case .notFound: "list the image with `fs ls`"
    case .noSuperblock: "not a LittleFS image; pass --offset for a whole-flash dump"
    default: nil
    }
  }
  public var exitStatus: ExitStatus { if case .notFound = self { .noInput } else { .dataError } }
}

extension LittleFSBuildError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    switch self {
    case .nameTooLong: "rename the file or folder; ESP8266 allows 31 bytes per name through LittleFS.open"
    case .pathTooLong: "use --littlefs-tool esp32 (mklittlefs 4.0.2) or shorten the path"
    default: nil
    }
  }
  public var exitStatus: ExitStatus { .dataError }
}
