import Foundation
import Testing
import TestSupport

/// Issue 9 end to end on the virtual board: `fs ls --port` / `fs cat --port` answer like the image file
/// does while reading only lookup entries, index headers and the file's pages; `fs download` reads the
/// blocks in use and still returns the partition byte for byte; a re-upload of the same folder sends no data.
@Suite struct FSBoardReadTests {
  static let layout = ["--layout", "esp32-default"]
  static let partition = 0x290000..<(0x290000 + 0x160000)

  /// Uploads the bench folder (ESP32 ROM loader) and returns the saved image.
  static func upload(_ bench: UploadBench, extra: [String] = []) throws -> (image: [UInt8], stderr: String) {
    let run = try FlashCLI.run(["fs", "upload", bench.data.path, "--port", bench.port("esp32"), "--stub", "none",
                                "--no-progress", "-o", bench.path("saved.bin")] + layout + extra)
    #expect(run.status == 0, "seed \(bench.seed): \(run.stderr)")
    return ([UInt8](try Data(contentsOf: URL(fileURLWithPath: bench.path("saved.bin")))), run.stderr)
  }

  @Test func lsAndCatOnTheBoardEqualTheImageAndReadLittle() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    _ = try Self.upload(bench)
    let fromFile = try FlashCLI.run(["fs", "ls", "--json", bench.path("saved.bin")] + Self.layout)
    let fromBoard = try FlashCLI.run(["fs", "ls", "--json", "--port", bench.port("esp32"), "--stub", "none"] + Self.layout)
    #expect(fromBoard.status == 0, "\(fromBoard.stderr)")
    #expect(fromBoard.stdout == fromFile.stdout)
    // "Read N of the partition's 1441792 bytes (x%)": a few percent at most.
    let read = try #require(fromBoard.stderr.split(separator: "\n").first { $0.hasPrefix("Read ") })
    let count = try #require(Int(read.split(separator: " ")[1]))
    #expect(count * 20 <= Self.partition.count, "\(read)")

    let cat = try FlashCLI.run(["fs", "cat", "--port", bench.port("esp32"), "--stub", "none", "config.json"] + Self.layout)
    #expect(cat.status == 0, "\(cat.stderr)")
    #expect(cat.stdout == String(decoding: try Data(contentsOf: bench.data.appendingPathComponent("config.json")), as: UTF8.self))
    let missing = try FlashCLI.run(["fs", "cat", "--port", bench.port("esp32"), "--stub", "none", "/nope"] + Self.layout)
    #expect(missing.status != 0)
  }

  @Test func reuploadOfTheSameFolderSendsNoDataAndNoSkipSendsItAll() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    let first = try Self.upload(bench)
    #expect(first.stderr.contains("erased"), "\(first.stderr)")
    let again = try Self.upload(bench)
    #expect(again.stderr.contains("Sent 0 of \(Self.partition.count) bytes as data"), "\(again.stderr)")
    #expect(again.stderr.contains("\(Self.partition.count) bytes were already on the board (1 MD5 queries)"))
    let forced = try Self.upload(bench, extra: ["--no-skip"])
    #expect(!forced.stderr.contains("already on the board"), "\(forced.stderr)")
    let board = try bench.boardBytes()
    #expect(firstDifference(board[Self.partition], first.image) == nil)
  }

  /// Junk in a free block (its lookup says free, its pages are not erased) is caught by the skipped run's
  /// MD5 and read, so `-o` still saves the partition exactly as the board holds it.
  @Test func downloadReadsBlocksInUseAndCatchesJunkInFreeBlocks() throws {
    let bench = try UploadBench()
    defer { bench.remove() }
    _ = try Self.upload(bench)
    var board = try bench.boardBytes()
    let lastBlock = Self.partition.upperBound - 0x1000
    for i in (lastBlock + 0x100)..<(lastBlock + 0x180) { board[i] = 0x5A }  // an object page, not the lookup
    try Data(board).write(to: bench.board)

    let run = try FlashCLI.run(["fs", "download", "--port", bench.port("esp32"), "--stub", "none",
                                "-o", bench.path("part.bin"), "--no-progress"] + Self.layout)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("1 free block held data and was read"), "\(run.stderr)")
    let saved = [UInt8](try Data(contentsOf: URL(fileURLWithPath: bench.path("part.bin"))))
    #expect(firstDifference(saved, board[Self.partition]) == nil)
    let read = try #require(run.stderr.split(separator: "\n").first { $0.hasPrefix("Read ") })
    let count = try #require(Int(read.split(separator: " ")[1]))
    #expect(count < Self.partition.count / 4, "\(read)")
  }
}
