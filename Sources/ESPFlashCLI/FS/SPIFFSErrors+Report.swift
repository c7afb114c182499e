import SPIFFS

extension SPIFFSReadError: ReportableError {
  public var message: String { description }

  public var hint: String? {
    switch self {
    case .invalidLayout:
      return "page must be a power of two (256), block a multiple of it (4096 or 8192), and the image at least 3 blocks"
    case .truncated:
      return "the file is shorter than the layout; check --size/--layout, or whether the read-back was cut short"
    case .notAFileSystem(_, _, let layout):
      let other = layout.platform == .esp8266 ? "esp32" : "esp8266"
      return "wrong layout? run without --layout to detect it, or try --platform \(other) or the other block size "
        + "(4096/8192); a device would refuse to mount this and, by default, format it"
    case .fileNotFound:
      return "`espflash-swift fs ls IMAGE` lists the names; SPIFFS names start with /"
    case .corruptFile:
      return "`espflash-swift fs check IMAGE` lists every inconsistency"
    case .ambiguousLayout(_, let candidates):
      let options = candidates.map { "--platform \($0.layout.platform == .esp8266 ? "esp8266" : "esp32") --block \($0.layout.blockSize)" }
      return "pass --layout NAME or one of: " + options.joined(separator: " | ")
    case .noLayoutMatches:
      return "not a SPIFFS image (LittleFS or FAT?), or a whole-flash dump: pass --offset ADDR with --layout NAME"
    }
  }

  public var exitStatus: ExitStatus {
    switch self {
    case .invalidLayout, .ambiguousLayout: .usage
    case .fileNotFound: .noInput
    default: .dataError
    }
  }
}

extension LayoutError: ReportableError {
  public var message: String { description }
  public var hint: String? { "`espflash-swift fs layouts` lists layouts that work" }
  public var exitStatus: ExitStatus { .usage }
}

extension PartitionTableError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    "rows are: name, type, subtype, offset, size[, flags]; sizes in hex, decimal or with K/M; blank offsets follow the previous row"
  }
  public var exitStatus: ExitStatus { .dataError }
}

extension SPIFFSBuildError: ReportableError {
  public var message: String {
    switch self {
    case .invalidLayout(let error):
      return error.description
    case .namesTooLong(let names, let limit):
      let list = names.map { "  \($0.name) (\($0.length) bytes)" }.joined(separator: "\n")
      return "\(names.count) file name(s) longer than \(limit) bytes (SPIFFS names hold \(limit) bytes plus a NUL, "
        + "including the leading /):\n" + list
    case .doesNotFit(let needed, let capacity, let failedAt):
      return "the files do not fit: they need \(needed) bytes, the image holds \(capacity) (full at \(failedAt))"
    case .duplicateName(let name):
      return "two files would both be stored as \(name)"
    case .invalidName(let name, let reason):
      return "cannot store \(name): \(reason)"
    case .invalidMetadata(let name, let length, let expected):
      return "metadata of \(name) is \(length) bytes, the layout stores \(expected)"
    case .tooManyFiles, .fileChanged:
      return description
    }
  }

  public var hint: String? {
    switch self {
    case .invalidLayout: "`espflash-swift fs layouts` lists layouts that work"
    case .namesTooLong: "shorten the names or flatten folders; the device cannot open longer names"
    case .doesNotFit: "pick a layout with a larger file system, or use --format compact (mkspiffs wastes about one page per 256 bytes)"
    case .duplicateName: "rename one of them"
    case .tooManyFiles: "pack fewer, larger files (e.g. an archive), or use --format compact, which is not limited by mkspiffs' id search"
    case .fileChanged: "build again once nothing writes to the data folder"
    case .invalidName, .invalidMetadata: nil
    }
  }

  public var exitStatus: ExitStatus {
    if case .invalidLayout = self { return .usage }
    return .dataError
  }
}
