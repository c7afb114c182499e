import ESPLoader
import Foundation
import SPIFFS

/// The sketch binaries to write with the file system (arduino-integration.md §1.5, §2.4, §5): an ESP8266
/// `Sketch.ino.bin` (at 0x0), an ESP32 app `.bin` (at the partition table's app offset) with the
/// `.bootloader.bin`, `.partitions.bin` and `boot_app0.bin` beside it, a `.merged.bin` (at 0x0), or an
/// arduino-cli build/export folder holding them, found by name.
public struct FirmwareSet: Sendable {
  public enum Role: String, Sendable { case app, bootloader, partitions, bootApp0 = "boot_app0", merged }

  public struct Piece: Sendable {
    public var role: Role
    public var path: String
    public var bytes: [UInt8]
  }

  public var pieces: [Piece]

  public func piece(_ role: Role) -> Piece? { pieces.first { $0.role == role } }

  /// The table the firmware brings (`.partitions.bin`), which replaces the board's when written.
  public func partitionTable() throws -> PartitionTable? {
    guard let piece = piece(.partitions) else { return nil }
    guard let table = try PartitionTable(binary: piece.bytes) else {
      throw ProjectError("\(piece.path) is not a partition table (no AA50 row at its start)", kind: .badData)
    }
    return table
  }

  static func role(ofFile name: String) -> Role? {
    let lower = name.lowercased()
    guard lower.hasSuffix(".bin") else { return nil }
    if lower.hasSuffix(".merged.bin") { return .merged }
    if lower.hasSuffix(".bootloader.bin") { return .bootloader }
    if lower.hasSuffix(".partitions.bin") { return .partitions }
    if lower == "boot_app0.bin" { return .bootApp0 }
    if lower.hasSuffix(".spiffs.bin") || lower.hasSuffix(".littlefs.bin") || lower.hasSuffix("_flashed.bin") { return nil }
    return .app
  }

  /// A file (its role by name) or a folder (every firmware file in it; separate images win over a merged one,
  /// which would also cover the file system with 0xFF).
  public static func load(_ path: String) throws -> FirmwareSet {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ProjectError("no such firmware file or folder: \(path)", kind: .missingInput)
    }
    if !isDirectory.boolValue {
      let name = URL(fileURLWithPath: path).lastPathComponent
      guard let role = role(ofFile: name), role == .app || role == .merged else {
        throw ProjectError("\(path) is not an app or merged image (.bin / .merged.bin)",
                       hint: "pass the sketch's .ino.bin, its .ino.merged.bin, or the build/export folder", kind: .usage)
      }
      return FirmwareSet(pieces: [Piece(role: role, path: path, bytes: try read(path))])
    }
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    var byRole: [Role: [String]] = [:]
    for name in names { if let role = role(ofFile: name) { byRole[role, default: []].append(name) } }
    if (byRole[.app] ?? []).count > 1 {
      // arduino-cli names the app <sketch>.ino.bin; other .bin files in an export folder are not ours.
      let sketchApps = byRole[.app]!.filter { $0.lowercased().hasSuffix(".ino.bin") }
      guard sketchApps.count == 1 else {
        throw ProjectError("\(path) holds several app images: " + byRole[.app]!.joined(separator: ", "),
                       hint: "pass the one to write with --firmware FILE", kind: .usage)
      }
      byRole[.app] = sketchApps
    }
    var pieces: [Piece] = []
    let order: [Role] = byRole[.app] != nil ? [.bootloader, .partitions, .bootApp0, .app] : [.merged]
    for role in order {
      guard let files = byRole[role] else { continue }
      guard files.count == 1 else {
        throw ProjectError("\(path) holds several \(role.rawValue) images: \(files.joined(separator: ", "))", kind: .usage)
      }
      let file = path + "/" + files[0]
      pieces.append(Piece(role: role, path: file, bytes: try read(file)))
    }
    guard !pieces.isEmpty else {
      throw ProjectError("no firmware in \(path): no <sketch>.ino.bin or .merged.bin",
                     hint: "compile with `arduino-cli compile -e` (export to build/…) or pass --output-dir, then point --firmware at it",
                     kind: .missingInput)
    }
    return FirmwareSet(pieces: pieces)
  }

  private static func read(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ProjectError("cannot read \(path)", kind: .missingInput)
    }
    guard !data.isEmpty else { throw ProjectError("\(path) is empty", kind: .badData) }
    return [UInt8](data)
  }
}

/// One region to write, placed on a board.
public struct FlashRegion: Sendable {
  public var role: String
  public var path: String?
  public var offset: Int
  public var bytes: [UInt8]
  public var end: Int { offset + bytes.count }

  public init(role: String, path: String?, offset: Int, bytes: [UInt8]) {
    self.role = role
    self.path = path
    self.offset = offset
    self.bytes = bytes
  }
}

extension FirmwareSet {
  /// Where the bootloader goes (§2.4 `build.bootloader_addr`).
  public static func bootloaderOffset(_ chip: Chip) -> Int {
    chip == .esp32 || chip == .esp32s2 ? 0x1000 : 0x0
  }

  /// Places every piece for `chip`. `table`: the table that will be on the board (the firmware's own, else
  /// the board's), for the app offset and size. `fileSystem`: the partition written too, which a merged
  /// image must not cover with its 0xFF filler.
  public func regions(chip: Chip, table: PartitionTable?, tableOffset: Int, fileSystem: PartitionTarget) throws -> [FlashRegion] {
    var regions: [FlashRegion] = []
    for piece in pieces {
      if piece.role == .app || piece.role == .bootloader || piece.role == .merged, piece.bytes.first != 0xE9 {
        throw ProjectError("\(piece.path) is not an ESP firmware image: first byte " + String(format: "0x%02X", piece.bytes[0])
                       + ", expected 0xE9", kind: .badData)
      }
      switch (chip == .esp8266, piece.role) {
      case (true, .app):
        regions.append(FlashRegion(role: "sketch", path: piece.path, offset: 0, bytes: piece.bytes))
      case (true, _):
        throw ProjectError("\(piece.path) is an ESP32 \(piece.role.rawValue) image, but the board is an ESP8266", kind: .usage)
      case (false, .bootloader):
        regions.append(FlashRegion(role: "bootloader", path: piece.path, offset: Self.bootloaderOffset(chip), bytes: piece.bytes))
      case (false, .partitions):
        regions.append(FlashRegion(role: "partition table", path: piece.path, offset: tableOffset, bytes: piece.bytes))
      case (false, .bootApp0):
        // boot_app0 always goes to 0xe000, whatever the CSV says (§2.4).
        regions.append(FlashRegion(role: "boot_app0", path: piece.path, offset: 0xE000, bytes: piece.bytes))
      case (false, .app):
        let app = table?.firstAppPartition
        let offset = app?.offset ?? 0x10000
        if let app, piece.bytes.count > app.size {
          throw ProjectError("\(piece.path) is \(piece.bytes.count) bytes; the app partition '\(app.name)' at "
                         + "\(ByteSize.hex(app.offset)) holds \(app.size)",
                         hint: "pick a partition scheme with a larger app partition; nothing was written", kind: .badData)
        }
        regions.append(FlashRegion(role: app.map { "app (\($0.name))" } ?? "app", path: piece.path, offset: offset,
                                   bytes: piece.bytes))
      case (false, .merged):
        // Everything but the file system's range; trailing 0xFF filler is not sent.
        var head = Array(piece.bytes.prefix(fileSystem.offset))
        while head.last == 0xFF { head.removeLast() }
        regions.append(FlashRegion(role: "merged image", path: piece.path, offset: 0, bytes: head))
        if piece.bytes.count > fileSystem.end {
          var tail = Array(piece.bytes[fileSystem.end...])
          while tail.last == 0xFF { tail.removeLast() }
          if !tail.isEmpty {
            regions.append(FlashRegion(role: "merged image (after the file system)", path: piece.path,
                                       offset: fileSystem.end, bytes: tail))
          }
        }
      }
    }
    return regions
  }

  /// Refuses overlapping regions and regions past the flash, naming both.
  public static func checkLayout(_ regions: [FlashRegion], flashSize: Int) throws {
    for region in regions where region.end > flashSize {
      throw ProjectError("the \(region.role) (\(ByteSize.hex(region.offset))..\(ByteSize.hex(region.end))) ends past the "
                     + "board's \(ByteSize.megabytes(flashSize)) flash", hint: "nothing was written", kind: .usage)
    }
    let sorted = regions.filter { !$0.bytes.isEmpty }.sorted { $0.offset < $1.offset }
    for (a, b) in zip(sorted, sorted.dropFirst()) where a.end > b.offset {
      throw ProjectError("the \(a.role) (\(ByteSize.hex(a.offset))..\(ByteSize.hex(a.end))) overlaps the \(b.role) "
                     + "at \(ByteSize.hex(b.offset))", hint: "nothing was written", kind: .usage)
    }
  }
}
