import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The whole serial path: `espflash-swift simulate --pty` serves a virtual board on a pseudo-terminal and
/// the binary flashes it through `SerialPort` (termios, baud change, refused DTR/RTS, poll reads).
@Suite(.serialized) struct FlashPtyTests {
  final class PtyBoard {
    let process = Process()
    let path: String
    let outURL: URL

    init(chip: String) throws {
      outURL = FileManager.default.temporaryDirectory.appendingPathComponent("espflash-pty-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
      _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
      process.executableURL = BuiltCLI.binary
      process.arguments = ["simulate", "--chip", chip, "--pty"]
      process.standardOutput = try FileHandle(forWritingTo: outURL)
      process.standardError = FileHandle.nullDevice
      try process.run()
      var found = ""
      let deadline = Date().addingTimeInterval(10)
      while Date() < deadline, process.isRunning {
        let text = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        if let line = text.split(separator: "\n").first, line.hasPrefix("/dev/") { found = String(line); break }
        usleep(20_000)
      }
      path = found
      if path.isEmpty { stop() }
    }

    func stop() {
      if process.isRunning {
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      }
      process.waitUntilExit()
      try? FileManager.default.removeItem(at: outURL)
    }

    deinit { stop() }
  }

  @Test(arguments: ["esp8266", "esp32"])
  func writeAndReadBackOverAPseudoTerminal(chip: String) throws {
    let board = try PtyBoard(chip: chip)
    defer { board.stop() }
    try #require(!board.path.isEmpty, "simulate --pty printed no device path")
    let scratch = try FlashVirtualBoardTests.Scratch()
    let input = scratch.url("in.bin"), output = scratch.url("out.bin")
    let data = FlashVirtualBoardTests.megabyte().prefix(256 * 1024)
    try data.write(to: input)
    let env = ["ESPFLASH_STUB_DIR": scratch.stubDir]
    let write = try FlashCLI.run(["write-flash", "-p", board.path, "-b", "921600", "0x100000", input.path], environment: env)
    #expect(write.status == 0, "\(write.stderr)")
    #expect(write.stderr.contains("DTR/RTS"))       // refused on a pty: one warning, then on
    #expect(write.stderr.contains("921600"))
    #expect(write.stdout.contains("written, verified"))
    let read = try FlashCLI.run(["read-flash", "-p", board.path, "0x100000", "256K", output.path], environment: env)
    #expect(read.status == 0, "\(read.stderr)")
    #expect(try Data(contentsOf: output) == data)
  }
}
