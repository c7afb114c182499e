import Foundation
import Testing

/// esptool 5.6.0 against `espflash-swift simulate` over socket://: it must connect, upload its own stub
/// (or not, with --no-stub), write, read back and verify, and every byte must come back as written.
/// Skipped, with the reason, when the interop venv is missing (scripts/test creates it).
@Suite("esptool 5.6.0 against the simulator",
       .enabled(if: EsptoolInterop.isAvailable,
                "esptool 5.6.0 not available: set ESPFLASH_INTEROP_PYTHON to a Python with esptool==5.6.0 (scripts/test does) and build espflash-swift"),
       .serialized)
struct EsptoolInteropTests {
  @Test("ESP8266: flash-id, ROM write, stub verify/read/write (compressed and not), erase-region")
  func esp8266() throws {
    let server = try EsptoolInterop.Server(chip: "esp8266", connections: 8)
    defer { server.stop() }
    let payload = EsptoolInterop.payload(seed: 8266, size: 0x13000)
    let file = server.directory.appendingPathComponent("payload.bin")
    try Data(payload).write(to: file)

    let flashID = server.esptool(["flash-id"], chip: "esp8266")
    #expect(flashID.status == 0, "\(flashID.output)")
    #expect(flashID.output.contains("Detected flash size: 4MB"), "\(flashID.output)")

    let romWrite = server.esptool(["--no-stub", "write-flash", "0x300000", file.path], chip: "esp8266")
    #expect(romWrite.status == 0, "\(romWrite.output)")
    let verify = server.esptool(["verify-flash", "0x300000", file.path], chip: "esp8266")
    #expect(verify.status == 0, "\(verify.output)")

    let readBack = server.directory.appendingPathComponent("read.bin")
    let read = server.esptool(["read-flash", "0x300000", String(payload.count), readBack.path], chip: "esp8266")
    #expect(read.status == 0, "\(read.output)")
    #expect((try? [UInt8](Data(contentsOf: readBack))) == payload)

    let stubWrite = server.esptool(["write-flash", "0x200000", file.path], chip: "esp8266")
    #expect(stubWrite.status == 0, "\(stubWrite.output)")
    let plainWrite = server.esptool(["write-flash", "--no-compress", "0x100000", file.path], chip: "esp8266")
    #expect(plainWrite.status == 0, "\(plainWrite.output)")
    let erase = server.esptool(["erase-region", "0x100000", "0x1000"], chip: "esp8266")
    #expect(erase.status == 0, "\(erase.output)")
    // After the erase the first sector differs: verify must now fail, as on a chip.
    let verifyErased = server.esptool(["verify-flash", "0x100000", file.path], chip: "esp8266")
    #expect(verifyErased.status != 0, "\(verifyErased.output)")
  }

  @Test("ESP32: flash-id, ROM write (plain and --compress), ROM verify and READ_FLASH_SLOW, stub write/read")
  func esp32() throws {
    let server = try EsptoolInterop.Server(chip: "esp32", connections: 9)
    defer { server.stop() }
    let payload = EsptoolInterop.payload(seed: 32, size: 0x11000)
    let file = server.directory.appendingPathComponent("payload.bin")
    try Data(payload).write(to: file)

    let flashID = server.esptool(["--no-stub", "flash-id"], chip: "esp32")
    #expect(flashID.status == 0, "\(flashID.output)")
    #expect(flashID.output.contains("Detected flash size: 4MB"), "\(flashID.output)")

    let romWrite = server.esptool(["--no-stub", "write-flash", "0x300000", file.path], chip: "esp32")
    #expect(romWrite.status == 0, "\(romWrite.output)")
    #expect(romWrite.output.contains("Hash of data verified"), "\(romWrite.output)")
    let romCompressed = server.esptool(["--no-stub", "write-flash", "--compress", "0x200000", file.path], chip: "esp32")
    #expect(romCompressed.status == 0, "\(romCompressed.output)")
    let romVerify = server.esptool(["--no-stub", "verify-flash", "0x200000", file.path], chip: "esp32")
    #expect(romVerify.status == 0, "\(romVerify.output)")

    let slow = server.directory.appendingPathComponent("slow.bin")
    let slowRead = server.esptool(["--no-stub", "read-flash", "0x300000", "0x1000", slow.path], chip: "esp32")
    #expect(slowRead.status == 0, "\(slowRead.output)")
    #expect((try? [UInt8](Data(contentsOf: slow))) == Array(payload.prefix(0x1000)))

    let stubWrite = server.esptool(["write-flash", "0x100000", file.path], chip: "esp32")
    #expect(stubWrite.status == 0, "\(stubWrite.output)")
    let readBack = server.directory.appendingPathComponent("read.bin")
    let read = server.esptool(["read-flash", "0x100000", String(payload.count), readBack.path], chip: "esp32")
    #expect(read.status == 0, "\(read.output)")
    #expect((try? [UInt8](Data(contentsOf: readBack))) == payload)

    // The ROM "erase-region" is SPI_SET_PARAMS + FLASH_BEGIN with no data: it must really erase.
    let erase = server.esptool(["--no-stub", "erase-region", "0x100000", "0x1000"], chip: "esp32")
    #expect(erase.status == 0, "\(erase.output)")
    let verifyErased = server.esptool(["--no-stub", "verify-flash", "0x100000", file.path], chip: "esp32")
    #expect(verifyErased.status != 0, "\(verifyErased.output)")
  }

  @Test("ESP32 on a pseudo-terminal: esptool writes and verifies; SIGINT saves the image")
  func esp32PseudoTerminal() throws {
    let server = try EsptoolInterop.Server(chip: "esp32", pty: true)
    let payload = EsptoolInterop.payload(seed: 77, size: 0x6000)
    let file = server.directory.appendingPathComponent("payload.bin")
    try Data(payload).write(to: file)
    let write = server.esptool(["write-flash", "0x8000", file.path], chip: "esp32", before: "default-reset")
    #expect(write.status == 0, "\(write.output)")
    let verify = server.esptool(["verify-flash", "0x8000", file.path], chip: "esp32", before: "default-reset")
    #expect(verify.status == 0, "\(verify.output)")
    let image = try server.interruptAndReadImage()
    #expect(image.count == 4 << 20)
    #expect(Array(image.dropFirst(0x8000).prefix(payload.count)) == payload)
    server.stop()
  }

  @Test("esptool --chip auto detects every simulated chip (magic register or GET_SECURITY_INFO chip id)",
        arguments: [("esp8266", "ESP8266"), ("esp32", "ESP32"), ("esp32s2", "ESP32-S2"), ("esp32s3", "ESP32-S3"),
                    ("esp32c3", "ESP32-C3"), ("esp32c6", "ESP32-C6"), ("esp32h2", "ESP32-H2")])
  func autoDetect(chip: String, name: String) throws {
    let server = try EsptoolInterop.Server(chip: chip, connections: 1)
    defer { server.stop() }
    let result = server.esptool(["--no-stub", "chip-id"], chip: "auto")
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("Connected to \(name) on"), "\(result.output)")
  }
}
