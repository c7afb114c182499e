import ArgumentParser
import ESPFlashKit
import Foundation
import LittleFS

/// How the reading commands show a LittleFS image (the SPIFFS ones keep their own renderers).
enum LittleFSRendering {
  struct EntryJSON: Encodable {
    var path: String, kind: String, size: Int, modified: Int64?, created: Int64?
  }

  static func list(_ image: LittleFSImage, json: Bool) throws {
    let entries = try image.list()
    if json {
      try Console.json(entries.map { EntryJSON(path: $0.path, kind: $0.kind.rawValue, size: $0.size,
                                               modified: $0.time("t"), created: $0.time("c")) })
      return
    }
    for entry in entries where entry.kind != .root {
      let size = entry.kind == .directory ? "dir" : String(entry.size)
      let time = entry.time("t").map { Self.date($0) } ?? "-"
      Console.print(size.padding(toLength: max(9, size.count), withPad: " ", startingAt: 0) + " " + time + "  " + entry.path
                    + (entry.kind == .directory ? "/" : ""))
    }
    let files = entries.filter { $0.kind == .file }
    Console.note("\(files.count) files, \(files.reduce(0) { $0 + $1.size }) bytes")
  }

  static func date(_ seconds: Int64) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
  }

  struct CheckJSON: Encodable {
    struct Problem: Encodable { var severity: String, block: Int?, offset: Int?, path: String?, message: String }
    var fileSystem = "littlefs"
    var consistent: Bool
    var errors: Int
    var warnings: Int
    var problems: [Problem]
  }

  static func check(_ image: LittleFSImage, json: Bool) throws {
    let problems = image.check()
    let errors = problems.filter { $0.severity == .error }.count
    if json {
      try Console.json(CheckJSON(consistent: errors == 0, errors: errors, warnings: problems.count - errors,
                                 problems: problems.map { .init(severity: $0.severity.rawValue, block: $0.block,
                                                                offset: $0.offset, path: $0.path, message: $0.message) }))
    } else {
      for problem in problems { Console.print(problem.description) }
      let files = (try? image.list().filter { $0.kind == .file }.count) ?? 0
      Console.print("\(errors) error(s), \(problems.count - errors) warning(s) in \(files) files and \(image.blockCount) blocks "
        + "(LittleFS \(image.superblock.diskVersion), block \(image.blockSize))")
    }
    if errors > 0 { throw ExitCode(ExitStatus.dataError.rawValue) }
  }

  struct InfoJSON: Encodable {
    var fileSystem = "littlefs"
    var diskVersion: String, blockSize: Int, blockCount: Int, nameMax: Int, fileMax: Int, attrMax: Int
    var usedBlocks: Int, freeBlocks: Int, files: Int, directories: Int, contentBytes: Int, largestNewFile: Int
  }

  static func info(_ image: LittleFSImage, json: Bool) throws {
    let sb = image.superblock
    let u = try image.usage()
    if json {
      try Console.json(InfoJSON(diskVersion: sb.diskVersion, blockSize: sb.blockSize, blockCount: sb.blockCount,
                                nameMax: sb.nameMax, fileMax: sb.fileMax, attrMax: sb.attrMax, usedBlocks: u.usedBlocks,
                                freeBlocks: u.freeBlocks, files: u.files, directories: u.directories,
                                contentBytes: u.contentBytes, largestNewFile: u.largestNewFile))
      return
    }
    Console.print("file system   LittleFS, disk version \(sb.diskVersion)")
    Console.print("blocks        \(sb.blockCount) × \(sb.blockSize) bytes (\(sb.blockCount * sb.blockSize) bytes)")
    Console.print("limits        name_max \(sb.nameMax), file_max \(sb.fileMax), attr_max \(sb.attrMax)")
    Console.print("files         \(u.files) in \(u.directories) directories, \(u.contentBytes) bytes")
    Console.print("space         \(u.usedBlocks) blocks used, \(u.freeBlocks) free")
    Console.print("largest new   \(u.largestNewFile) bytes")
  }
}
