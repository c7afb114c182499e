import Credentials
import ESPFlashKit
import ESPLoader
import SPIFFS

/// How the library's file, folder and image failures read on the command line.
extension FileAccessError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    switch self {
    case .tooLarge: "pass --offset and --layout to read a file system inside a larger dump"
    case .unreadable: "check its permissions"
    default: nil
    }
  }
  public var exitStatus: ExitStatus {
    switch self {
    case .noSuchFile, .isAFolder, .notARegularFile, .unreadable: .noInput
    case .tooLarge: .dataError
    case .outputFolderMissing, .cannotWrite, .cannotCreateFolder, .notAFolder: .ioError
    }
  }
}

extension FolderError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    if case .orderMismatch = self { return "one SPIFFS path per line, e.g. /www/index.html" }
    return nil
  }
  public var exitStatus: ExitStatus {
    switch self {
    case .noSuchFolder, .notAFolder, .unreadableFolder, .unreadableOrderFile: .noInput
    case .tooDeep, .symlinkLoop, .orderMismatch: .dataError
    }
  }
}

extension ImageDoesNotFit: ReportableError {
  public var message: String { description }
  public var hint: String? {
    var parts: [String] = []
    if let larger = largerPreset {
      parts.append("--layout \(larger.name) (\(ByteSize.human(larger.imageSize)) at \(Hex.address(larger.flashOffset))) would hold them")
    }
    if format == .mkspiffs { parts.append("--format compact avoids mkspiffs' wasted pages") }
    parts.append("no image was written")
    return parts.joined(separator: "; ")
  }
  public var exitStatus: ExitStatus { .dataError }
}

extension CredentialCheckFailed: ReportableError {
  public var message: String { description }
  public var hint: String? {
    "fix the files, or pass --cert-target for the board's TLS stack ("
      + TargetPlatform.allCases.map(\.rawValue).joined(separator: ", ") + "); --no-cert-check builds anyway"
  }
  public var exitStatus: ExitStatus { .dataError }
}

extension UnknownRenameSource: ReportableError {
  public var message: String { description }
  public var hint: String? { "names are relative to the data folder, e.g. --rename certs/cert.pem=certs/cert.der" }
  public var exitStatus: ExitStatus { .usage }
}

extension LayoutMismatch: ReportableError {
  public var message: String { description }
  public var hint: String? {
    guard let detected else {
      return "check --size and --block; SPIFFS (and `SPIFFS.begin()` with auto-format) would erase this partition"
    }
    let layout = detected.layout
    let platform = layout.platform == .esp8266 ? "esp8266" : "esp32"
    if let preset = ImageMount.matchingPreset(layout) {
      return "the image's magic matches the \(platform) layout with \(layout.blockSize)-byte blocks; pass --layout \(preset.name)"
    }
    return "the image's magic matches the \(platform) layout with \(layout.blockSize)-byte blocks; "
      + "pass --platform \(platform) --block \(layout.blockSize)"
  }
  public var exitStatus: ExitStatus { .dataError }
}

extension ExtractionError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    if case .filesExist = self { return "pass --force to overwrite them" }
    return nil
  }
  public var exitStatus: ExitStatus {
    if case .filesExist = self { return .ioError }
    return .dataError
  }
}

extension PartitionTargetError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    switch self {
    case .noFlashAddress:
      "the partition's offset in the board's partition table, e.g. --offset 0x300000; "
        + "or use --layout NAME / --partitions partitions.csv, which carry it"
    case .unalignedOffset: "partitions start on a sector boundary; check the partition table"
    }
  }
  public var exitStatus: ExitStatus { .usage }
}

extension BoardMismatch: ReportableError {
  public var message: String { description }
  public var hint: String? {
    var parts: [String] = []
    let names = PartitionTarget.suggestions(chip: chip, flashSize: flashSize)
    let family = chip == .esp8266 ? "ESP8266" : "ESP32"
    let size = flashSize.map { " for \(ByteSize.megabytes($0)) flash" } ?? ""
    if !names.isEmpty { parts.append("\(family) layouts\(size): " + names.prefix(6).joined(separator: ", ")) }
    parts.append(chip == .esp8266 ? "pick the sketch's Flash Size setting with --layout"
                                  : "or pass the sketch's --partitions partitions.csv")
    if kind == .pastFlashEnd { parts.append("the size comes from the flash chip's JEDEC id") }
    parts.append("nothing was written or read")
    return parts.joined(separator: "; ")
  }
  public var exitStatus: ExitStatus { .usage }
}

extension ProvisionError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    switch self {
    case .unsafeDeviceNames: "use letters, digits, '-', '_' and '.', e.g. the AWS IoT thing name; nothing was written"
    case .noDevices(let folder): "make one folder per device holding its files, e.g. \(folder)/thing-1/cert.pem"
    case .devicesFailed(_, _, let folder): "fix those devices' files (or move their folders out of \(folder)) and run again"
    case .changedWhileProvisioning: "run again once the folders are stable"
    default: nil
    }
  }
  public var exitStatus: ExitStatus {
    switch self {
    case .noDevicesFolder, .devicesNotAFolder, .unreadableDevicesFolder, .noDevices: .noInput
    case .unsafeDeviceNames, .devicesFailed, .changedWhileProvisioning: .dataError
    }
  }
}

extension ImageFileError: ReportableError {
  public var message: String { description }
  public var hint: String? { nil }
  public var exitStatus: ExitStatus { .usage }
}
