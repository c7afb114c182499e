import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built binary against `sim://` boards whose flash persists in an image file between commands:
/// write-flash then read-flash must give back the same megabyte, through the ROM and through a stub.
@Suite struct FlashVirtualBoardTests {
  final class Scratch {
    let dir: URL
    init() throws {
      dir = FileManager.default.temporaryDirectory.appendingPathComponent("espflash-vb-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      // A made-up stub: the virtual board enters stub mode when MEM_END jumps into uploaded code.
      for (chip, text) in [("esp8266", 0x4010_C500), ("esp32", 0x400A_8000)] {
        let stubs = dir.appendingPathComponent("stubs/2")
        try FileManager.default.createDirectory(at: stubs, withIntermediateDirectories: true)
        let json = #"{"text": "\#(Data(count: 64).base64EncodedString())", "text_start": \#(text), "entry": \#(text + 4)}"#
        try Data(json.utf8).write(to: stubs.appendingPathComponent("\(chip).json"))
      }
    }
    func url(_ name: String) -> URL { dir.appendingPathComponent(name) }
    var stubDir: String { dir.appendingPathComponent("stubs").path }
    deinit { try? FileManager.default.removeItem(at: dir) }
  }

  static func megabyte() -> Data {
    var x: UInt32 = 42
    var bytes = (0..<32_768).map { _ -> UInt8 in x = x &* 1_664_525 &+ 1_013_904_223; return UInt8(truncatingIfNeeded: x >> 24) }
    while bytes.count < 0x8_0000 { bytes += Array("SPIFFS page \(bytes.count)\n".utf8) }
    bytes += [UInt8](repeating: 0xFF, count: 0x10_0000 - bytes.count)
    return Data(bytes.prefix(0x10_0000))
  }

  @Test(arguments: [("esp8266", "auto"), ("esp32", "auto"), ("esp32", "none")])
  func writeThenReadOneMegabyte(chip: String, stub: String) throws {
    let scratch = try Scratch()
    let input = scratch.url("in.bin"), output = scratch.url("out.bin")
    let data = Self.megabyte()
    try data.write(to: input)
    let port = "sim://\(chip)?flash=4MB&image=\(scratch.url("flash.img").path)"
    let env = ["ESPFLASH_STUB_DIR": scratch.stubDir]
    let write = try FlashCLI.run(["write-flash", "-p", port, "--stub", stub, "--json", "--stats", "0x300000", input.path],
                                 environment: env)
    #expect(write.status == 0, "\(write.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(write.stdout.utf8)) as? [String: Any]
    let file = (json?["files"] as? [[String: Any]])?.first
    #expect(file?["verified"] as? Bool == true, "\(write.stdout)")
    #expect((json?["wire"] as? [String: Any])?["hostToDevice"] as? Int ?? 0 > 0)

    let read = try FlashCLI.run(["read_flash", "-p", port, "--stub", stub, "0x300000", "1M", output.path], environment: env)
    #expect(read.status == 0, "\(read.stderr)")
    #expect(try Data(contentsOf: output) == data)

    let verify = try FlashCLI.run(["verify-flash", "-p", port, "--stub", stub, "0x300000", input.path], environment: env)
    #expect(verify.status == 0, "\(verify.stderr)")
  }

  @Test func esp8266RomWritesButCannotReadBack() throws {
    let scratch = try Scratch()
    let input = scratch.url("in.bin")
    try Self.megabyte().prefix(0x2_0000).write(to: input)
    let port = "sim://esp8266?image=\(scratch.url("flash.img").path)"
    let write = try FlashCLI.run(["write-flash", "-p", port, "--stub", "none", "0x300000", input.path])
    #expect(write.status == 0, "\(write.stderr)")
    #expect(write.stdout.contains("NOT verified"))
    let read = try FlashCLI.run(["read-flash", "-p", port, "--stub", "none", "0x300000", "16", scratch.url("o").path])
    #expect(read.status == 69)
    // With the stub the same board reads back what the ROM wrote.
    let back = try FlashCLI.run(["read-flash", "-p", port, "--stub", "auto", "0x300000", "0x20000", scratch.url("o").path],
                                environment: ["ESPFLASH_STUB_DIR": scratch.stubDir])
    #expect(back.status == 0, "\(back.stderr)")
    #expect(try Data(contentsOf: scratch.url("o")) == Self.megabyte().prefix(0x2_0000))
  }

  @Test func boardInfoAndEraseOnTheVirtualBoard() throws {
    let scratch = try Scratch()
    let port = "sim://esp32?flash=8MB&image=\(scratch.url("flash.img").path)"
    let info = try FlashCLI.run(["board-info", "-p", port, "--json"])
    #expect(info.status == 0, "\(info.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
    #expect(json?["flashSize"] as? Int == 8 << 20)
    #expect(json?["chip"] as? String == "esp32")
    let erase = try FlashCLI.run(["erase-region", "-p", port, "--stub", "none", "0x10000", "0x1000"])
    #expect(erase.status == 0, "\(erase.stderr)")
    let eraseAll = try FlashCLI.run(["erase-flash", "-p", port, "--stub", "none"])
    #expect(eraseAll.status == 69, "\(eraseAll.stderr)")
    let reset = try FlashCLI.run(["reset", "-p", port])
    #expect(reset.status == 0, "\(reset.stderr)")
  }
}
