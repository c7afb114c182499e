import ArgumentParser
import ESPFlashKit
import ESPLoader
import ESPTransport
import Testing
@testable import ESPFlashCLI

/// Parsing of the device commands (esptool's spellings) and how their failures are reported.
@Suite struct FlashCommandTests {
  func parse(_ args: [String]) throws -> any ParsableCommand {
    try ESPFlashCommand.parseAsRoot(ArgumentSpelling.normalize(args))
  }

  @Test func esptoolV3SpellingsParse() throws {
    let command = try parse(["write_flash", "--flash_size", "detect", "--before", "default_reset", "--after", "hard_reset",
                             "-p", "socket://127.0.0.1:1", "0x300000", "data.bin"])
    let write = try #require(command as? WriteFlashCommand)
    #expect(write.parameters.flashSize.value == .detect)
    #expect(write.connection.before == .defaultReset)
    #expect(write.connection.after == .hardReset)
    #expect(write.files == ["0x300000", "data.bin"])
  }

  @Test func connectionOptionsParse() throws {
    let command = try parse(["board-info", "--port", "/dev/ttyUSB0", "-b", "921600", "--chip", "ESP32", "--stub", "none",
                             "--before", "no_reset_no_sync", "--connect-attempts", "0", "--json", "--stats"])
    let info = try #require(command as? BoardInfoCommand)
    #expect(info.connection.port == "/dev/ttyUSB0")
    #expect(info.connection.transferBaud == 921_600)
    #expect(info.connection.chip.chip == .esp32)
    #expect(info.connection.stubChoice == .none)
    #expect(info.connection.before.value == .noResetNoSync)
    #expect(info.connection.json && info.connection.stats)
  }

  @Test func stubChoices() throws {
    #expect(StubChoice(argument: "auto") == .auto)
    #expect(StubChoice(argument: "/x/esp8266.json") == .path("/x/esp8266.json"))
    let command = try parse(["read-flash", "--no-stub", "0", "ALL", "out.bin"])
    #expect((command as? ReadFlashCommand)?.connection.stubChoice == StubChoice.none)
  }

  @Test func aliasesAndBadValues() throws {
    #expect(try parse(["chip-id"]) is BoardInfoCommand)
    #expect(try parse(["flash_id"]) is BoardInfoCommand)
    #expect(throws: (any Error).self) { try parse(["board-info", "--before", "sometimes"]) }
    #expect(throws: (any Error).self) { try parse(["board-info", "--chip", "esp9000"]) }
    #expect(throws: (any Error).self) { try parse(["write-flash", "--flash-size", "lots", "0", "x"]) }
    #expect(throws: (any Error).self) { try parse(["board-info", "--baud", "10"]) }
  }

  @Test func addressFilePairsAreChecked() throws {
    #expect(throws: CLIError.self) { try AddressedFile.parse(["0x1000"]) }
    #expect(throws: CLIError.self) { try AddressedFile.parse(["zz", "/dev/null"]) }
    do { _ = try AddressedFile.parse(["0x0", "/no/such/file.bin"]); Issue.record("missing file accepted") } catch let e as FileAccessError {
      #expect(e == .noSuchFile(path: "/no/such/file.bin"))
      #expect(e.exitStatus == .noInput)
    }
  }

  @Test func exitCodesFollowTheKindOfFailure() {
    let timeout = LoaderError.timeout(command: "FLASH_DATA", context: "block 37 of 1000 at 0x309400", seconds: 3)
    #expect(timeout.exitStatus == .unavailable)
    #expect(timeout.message == "no reply to FLASH_DATA block 37 of 1000 at 0x309400 after 3 s")
    #expect(timeout.hint?.contains("--baud") == true)
    let verify = LoaderError.verifyFailed(offset: 0x30_0000, size: 16, expected: "a", actual: "b")
    #expect(verify.exitStatus == .dataError)
    #expect(LoaderError.transport(.io(name: "p", operation: "read", errno: 5, detail: "EIO"), during: nil).exitStatus == .ioError)
    let interrupted = LoaderError.writeInterrupted(offset: 0x30_0000, size: 0x1000, writtenUpTo: 0x30_0400, underlying: timeout)
    #expect(interrupted.exitStatus == .unavailable)
    #expect(interrupted.message.contains("0x300400..0x300FFF"))
    let connect = LoaderError.connectFailed(port: "/dev/ttyUSB0", tried: ["1: UnixTightReset(50 ms), 5 × SYNC: no reply"], bootLog: nil)
    #expect(connect.exitStatus == .unavailable)
    for phrase in ["BOOT", "serial monitor", "wrong port"] { #expect(connect.hint?.contains(phrase) == true, "\(phrase)") }
    let busy = TransportError.busy(name: "/dev/ttyUSB0")
    #expect(busy.exitStatus == .unavailable)
    #expect(busy.message.contains("busy"))
    let rendered = ErrorReport.render(PortOpenFailure(error: busy, holders: ["PID 42 (screen)"]))
    #expect(rendered?.text.contains("PID 42 (screen)") == true)
    #expect(ErrorReport.render(LoaderError.unsupported(operation: "reading flash", loader: "ESP8266 ROM loader",
                                                       reason: "no read", remedy: "use the stub"))?.status == .unavailable)
  }

  @Test func hintsNameTheLikelyCause() {
    // ROM 0x05 to FLASH_DATA, which every loader has: bytes were lost, not a missing command.
    let dropped = LoaderError.deviceRejected(command: "FLASH_DATA", context: "block 3 of 10 at 0x300800",
                                             status: DeviceStatus(first: 1, second: 0x05, fromStub: false))
    #expect(dropped.hint?.contains("lost or corrupted") == true, "\(dropped.hint ?? "")")
    #expect(dropped.hint?.contains("try the stub") != true)
    let missing = LoaderError.deviceRejected(command: "SPI_FLASH_MD5", context: nil,
                                             status: DeviceStatus(first: 1, second: 0x05, fromStub: false))
    #expect(missing.hint?.contains("does not implement") == true)
    // A timeout names a program holding the port before the baud rate.
    let hint = LoaderError.timeout(command: "FLASH_DATA", context: nil, seconds: 3).hint ?? ""
    #expect(hint.contains("serial monitor"), "\(hint)")
    let stop = LoaderError.interrupted(Interruption(kind: .write, offset: 0x30_0000, size: 0x10_0000, doneUpTo: 0x34_0000,
                                                    erasedUpTo: 0x40_0000))
    #expect(stop.exitStatus == .interrupted)
    #expect(stop.message.contains("0x300000..0x33FFFF is written; 0x340000..0x3FFFFF is not (fully) written"), "\(stop.message)")
  }

  @Test func noListenerIsDeviceUnavailable() throws {
    let result = try FlashCLI.run(["board-info", "-p", "socket://127.0.0.1:1"])
    #expect(result.status == 69, "\(result.stderr)")
    #expect(result.stderr.contains("error: cannot open socket://127.0.0.1:1"))
  }

  @Test func missingSerialPortIsDeviceUnavailableWithHint() throws {
    let result = try FlashCLI.run(["board-info", "-p", "/dev/ttyNOPE-espflash"])
    #expect(result.status == 69, "\(result.stderr)")
    #expect(result.stderr.contains("hint:"))
  }
}
