import ESPLoader
import Foundation

/// Opens `sim://CHIP?flash=4MB&image=PATH&xtal=26&bootlog=0` as an in-process transport to a virtual board.
///
/// * `CHIP`: esp8266, esp32, esp32s2, esp32s3, esp32c3, esp32c6, esp32h2 (any spelling `Chip` accepts).
/// * `flash`: 1MB … 16MB (default 4MB).
/// * `image`: a flash image file. If it exists it is loaded and must be exactly the flash size; when the
///   transport closes the flash is saved there atomically, so one command can write the board and a later
///   one read it back. Without `image` the flash starts erased and is forgotten at close.
/// * `xtal`: crystal MHz, 26 or 40; `bootlog=0` suppresses the boot banner.
public enum VirtualBoardURL {
  public static func open(_ url: String) throws(TransportError) -> any Transport {
    try openBoard(url)
  }

  /// The same, typed, for tests and tools that want the board behind the transport.
  public static func openBoard(_ url: String) throws(TransportError) -> VirtualBoardTransport {
    let spec = try parse(url)
    if let path = spec.imagePath {
      // Refused here, before anything is sent: a board whose image cannot be saved would accept a write, report
      // it verified, and come back erased for the next command.
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw .invalidAddress(url, reason: "image=\(path): the folder \(folder) does not exist")
      }
    }
    var flash: NORFlash?
    if let path = spec.imagePath, FileManager.default.fileExists(atPath: path) {
      flash = try FlashImageFile.load(path: path, expectedSize: spec.configuration.flashSize, url: url)
    }
    let board = VirtualBoard(configuration: spec.configuration, flash: flash)
    let transport = VirtualBoardTransport(board: board, name: url)
    if let path = spec.imagePath {
      transport.onClose = { board throws(TransportError) in
        do {
          try FlashImageFile.save(board.flash.bytes, path: path)
        } catch {
          throw .io(name: url, operation: "save the flash image to \(path)", errno: 0, detail: error.localizedDescription)
        }
      }
    }
    return transport
  }

  public struct Specification: Sendable {
    public var configuration: BoardConfiguration
    public var imagePath: String?
  }

  /// Parses the URL without opening anything.
  public static func parse(_ url: String) throws(TransportError) -> Specification {
    let scheme = "sim://"
    guard url.lowercased().hasPrefix(scheme) else {
      throw .invalidAddress(url, reason: "a virtual board URL starts with sim://")
    }
    let rest = url.dropFirst(scheme.count)
    let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    let chipName = String(parts.first ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    guard let chip = Chip(argument: chipName) else {
      let known = Chip.allCases.map(\.rawValue).joined(separator: ", ")
      throw .invalidAddress(url, reason: "unknown chip '\(chipName)' (known: \(known))")
    }
    var configuration = BoardConfiguration(chip: chip)
    var imagePath: String?
    if parts.count > 1 {
      for pair in parts[1].split(separator: "&") where !pair.isEmpty {
        let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let key = String(keyValue[0]).lowercased()
        let raw = keyValue.count > 1 ? String(keyValue[1]) : ""
        let value = raw.removingPercentEncoding ?? raw
        switch key {
        case "flash":
          guard let size = BoardConfiguration.parseFlashSize(value) else {
            throw .invalidAddress(url, reason: "flash=\(value): use 1MB, 2MB, 4MB, 8MB or 16MB")
          }
          configuration.flashSize = size
          configuration.jedecID = BoardConfiguration.winbondJEDEC(flashSize: size)
        case "image":
          guard !value.isEmpty else { throw .invalidAddress(url, reason: "image= needs a path") }
          imagePath = value
        case "xtal":
          guard let mhz = Int(value), mhz == 26 || mhz == 40 else {
            throw .invalidAddress(url, reason: "xtal=\(value): use 26 or 40")
          }
          configuration.crystalMHz = mhz
        case "bootlog":
          configuration.bootLog = !(value == "0" || value.lowercased() == "false" || value.lowercased() == "no")
        default:
          throw .invalidAddress(url, reason: "unknown parameter '\(key)' (flash, image, xtal, bootlog)")
        }
      }
    }
    return Specification(configuration: configuration, imagePath: imagePath)
  }
}

/// Loading and atomically saving a board's flash image.
public enum FlashImageFile {
  public static func load(path: String, expectedSize: Int, url: String) throws(TransportError) -> NORFlash {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .cannotOpen(name: url, errno: 0, detail: "cannot read flash image \(path): \(error.localizedDescription)")
    }
    guard data.count == expectedSize else {
      throw .invalidAddress(url, reason: "flash image \(path) is \(data.count) bytes, the board's flash is "
                              + "\(expectedSize) bytes; pass the matching flash= size")
    }
    return NORFlash(contents: [UInt8](data))
  }

  /// Writes a temporary file beside `path` and renames it over, so a reader never sees half an image.
  public static func save(_ bytes: [UInt8], path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
  }
}
