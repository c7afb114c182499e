import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command line against `simulate --fault`: recovery over a real socket (a corrupted reply, the
/// connection closed mid-write and reopened), Ctrl-C at a block boundary with the exact command that
/// finishes the job, and no partial or lost output file from read-flash.
@Suite(.serialized, .enabled(if: EsptoolInterop.binary != nil, "needs the built espflash-swift binary"))
struct FaultCLITests {
  static func file(_ directory: URL, _ name: String, _ bytes: [UInt8]) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  /// Starts `binary arguments`, sends SIGINT after `after` seconds, and waits for it to end.
  static func interrupted(_ arguments: [String], after: Double, directory: URL) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(EsptoolInterop.binary))
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let log = directory.appendingPathComponent("client-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    // Ctrl-C only once the client is connected and working, then a little later.
    let connected = Date().addingTimeInterval(60)
    while process.isRunning, Date() < connected,
          !(((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("Connected:")) { usleep(20_000) }
    usleep(useconds_t(after * 1_000_000))
    process.interrupt()
    let deadline = Date().addingTimeInterval(30)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    try? handle.close()
    return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
  }

  @Test(arguments: ["esp8266", "esp32"])
  func aFlippedReplyAndAClosedSocketAreRecovered(chip: String) throws {
    // The flip hits a reply early in the write; the close drops the connection ~150 KB into the data. The
    // second connection finds the chip freshly reset (ROM), so the client syncs, re-runs what it had and
    // writes on from the last confirmed sector.
    let server = try EsptoolInterop.Server(chip: chip, connections: 2,
                                           extraArguments: ["--fault", "flip@409", "--fault", "close@150000"])
    defer { server.stop() }
    var random = SplitMix64(seed: 11)
    let data = (0..<(256 * 1024)).map { _ in random.byte() }  // incompressible: every byte crosses the wire
    let path = try Self.file(server.directory, "data.bin", data)
    let binary = try #require(EsptoolInterop.binary)
    let run = EsptoolInterop.run(binary, ["write-flash", "--port", server.url, "--stub", "none", "--no-progress",
                                          "0x100000", path], timeout: 180)
    #expect(run.status == 0, "\(run.output)")
    #expect(run.output.contains("Recovering"), "\(run.output)")
    let image = try server.interruptAndReadImage()
    #expect(Array(image[0x10_0000..<(0x10_0000 + data.count)]) == data)
    #expect(server.stats.contains("fault: connection closed"), "\(server.stats)")
  }

  @Test func ctrlCDuringAWriteStopsAtABlockAndSaysHowToFinish() throws {
    // Replies stall after ~30 blocks, so the client is mid-write when the user presses Ctrl-C.
    let server = try EsptoolInterop.Server(chip: "esp32", connections: 1, extraArguments: ["--fault", "stall@3000:30"])
    defer { server.stop() }
    let path = try Self.file(server.directory, "data.bin", EsptoolInterop.payload(seed: 12, size: 512 * 1024))
    let result = try Self.interrupted(["write-flash", "--port", server.url, "--stub", "none", "--no-compress",
                                       "--no-progress", "0x200000", path], after: 1.5, directory: server.directory)
    #expect(result.status == 130, "\(result.output)")
    #expect(result.output.contains("stopped on request"), "\(result.output)")
    #expect(result.output.contains("is not (fully) written"), "\(result.output)")
    #expect(result.output.contains("To finish the job, run:"), "\(result.output)")
    #expect(result.output.contains("espflash-swift write-flash --port \(server.url)"), "\(result.output)")
  }

  @Test func ctrlCDuringAReadLeavesTheOldFileAlone() throws {
    let server = try EsptoolInterop.Server(chip: "esp32", connections: 1, extraArguments: ["--fault", "stall@6000:30"])
    defer { server.stop() }
    let old = Array("the previous contents\n".utf8)
    let path = try Self.file(server.directory, "out.bin", old)
    let result = try Self.interrupted(["read-flash", "--port", server.url, "--stub", "none", "--no-progress",
                                       "0x0", "0x40000", path], after: 1.5, directory: server.directory)
    #expect(result.status == 130, "\(result.output)")
    #expect(result.output.contains("nothing was saved"), "\(result.output)")
    #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == old)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: server.directory.path).filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }

  @Test func readFlashReplacesAnExistingFile() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("readflash-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = try Self.file(directory, "out.bin", Array("old".utf8))
    let binary = try #require(EsptoolInterop.binary)
    let run = EsptoolInterop.run(binary, ["read-flash", "--port", "sim://esp32?bootlog=0", "--stub", "none",
                                          "--no-progress", "0x1000", "0x100", path], timeout: 60)
    #expect(run.status == 0, "\(run.output)")
    #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == [UInt8](repeating: 0xFF, count: 0x100))
  }

  @Test func simulateRejectsAMalformedFault() throws {
    let binary = try #require(EsptoolInterop.binary)
    let run = EsptoolInterop.run(binary, ["simulate", "--listen", "127.0.0.1:0", "--fault", "d2h:reset@10"], timeout: 30)
    #expect(run.status == 64, "\(run.output)")
    #expect(run.output.contains("--fault 'd2h:reset@10'"), "\(run.output)")
  }
}
