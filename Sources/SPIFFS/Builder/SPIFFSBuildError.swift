/// Why a build failed. Nothing is written when one is thrown.
public enum SPIFFSBuildError: Error, Hashable, Sendable, CustomStringConvertible {
  case invalidLayout(LayoutError)
  /// Every name longer than the limit, with its byte length.
  case namesTooLong([NameLength], limit: Int)
  /// The files need `neededBytes` of the image but the layout holds `capacityBytes`. `failedAt` names the
  /// file that no longer fit (for mkspiffs, the one being written when SPIFFS reported the image full).
  case doesNotFit(neededBytes: Int, capacityBytes: Int, failedAt: String)
  case duplicateName(String)
  case invalidName(String, reason: String)
  case invalidMetadata(name: String, length: Int, expected: Int)
  /// More files than SPIFFS has object ids for: ids are 15 bits (1 … 0x7FFE), and in the mkspiffs format
  /// SPIFFS' own id search, whose range depends on the image size (§4), ran out after `limit` files.
  case tooManyFiles(count: Int, limit: Int)
  /// A file's bytes, read when it was packed, are not as long as its size said when the build was planned
  /// (it changed on disk meanwhile).
  case fileChanged(name: String, plannedBytes: Int, actualBytes: Int)

  public struct NameLength: Hashable, Sendable {
    public var name: String
    public var length: Int
    public init(name: String, length: Int) { self.name = name; self.length = length }
  }

  public var description: String {
    switch self {
    case .invalidLayout(let error):
      return error.description
    case .namesTooLong(let names, let limit):
      let list = names.map { "\($0.name) (\($0.length) bytes)" }.joined(separator: ", ")
      let noun = names.count == 1 ? "name is" : "\(names.count) names are"
      return "\(noun) longer than the SPIFFS limit of \(limit) bytes (including the leading /): \(list)"
    case .doesNotFit(let needed, let capacity, let failedAt):
      return "the files do not fit: they need \(needed) bytes (\(kib(needed))) of image, the layout holds "
        + "\(capacity) bytes (\(kib(capacity))); ran out of space at \(failedAt)"
    case .duplicateName(let name):
      return "the name \(name) occurs more than once"
    case .invalidName(let name, let reason):
      return "invalid SPIFFS name \"\(name)\": \(reason)"
    case .invalidMetadata(let name, let length, let expected):
      return "metadata of \(name) is \(length) bytes; this layout stores exactly \(expected)"
    case .tooManyFiles(let count, let limit):
      return "\(count) files, but SPIFFS finds object ids for at most \(limit) files in this image"
    case .fileChanged(let name, let planned, let actual):
      return "\(name) changed while the image was built: \(planned) bytes when planned, \(actual) when packed"
    }
  }

  private func kib(_ bytes: Int) -> String {
    let tenths = (bytes * 10 + 512) / 1024
    return "\(tenths / 10).\(tenths % 10) KiB"
  }
}

/// Checks names and metadata before anything is laid out (§1.5, §2.12, §9.7).
enum BuildInputCheck {
  /// Ids 1 … 0x7FFE: 0x7FFF with the index bit would read as a free lookup entry (§1.7).
  static let maxFiles = 0x7FFE

  static func check(_ files: [some SPIFFSFileDescription], layout: SPIFFSLayout) throws(SPIFFSBuildError) {
    for file in files {
      let name = file.nameBytes
      if name.isEmpty { throw .invalidName(file.displayName, reason: "the name is empty") }
      if name.first != UInt8(ascii: "/") {
        throw .invalidName(file.displayName, reason: "SPIFFS names start with /")
      }
      if name.contains(0) { throw .invalidName(file.displayName, reason: "the name contains a NUL byte") }
    }
    let tooLong = files.filter { $0.nameBytes.count > layout.maxNameBytes }
    if !tooLong.isEmpty {
      throw .namesTooLong(tooLong.map { .init(name: $0.displayName, length: $0.nameBytes.count) }, limit: layout.maxNameBytes)
    }
    var seen = Set<[UInt8]>()
    seen.reserveCapacity(files.count)
    for file in files where !seen.insert(file.nameBytes).inserted {
      throw .duplicateName(file.displayName)
    }
    if files.count > maxFiles { throw .tooManyFiles(count: files.count, limit: maxFiles) }
    for file in files {
      if let meta = file.metadata, meta.count != layout.metadataLength {
        throw .invalidMetadata(name: file.displayName, length: meta.count, expected: layout.metadataLength)
      }
    }
  }
}
