import ArgumentParser
import Credentials
@testable import ESPFlashKit
import ESPLoader
import SPIFFS
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import ESPFlashCLI

/// Every error the library and the CLI can throw, through the one funnel: message, hint and exit status.
@Suite struct ErrorTableTests {
  struct Row: CustomTestStringConvertible, Sendable {
    var error: any ReportableError
    var status: ESPFlashCLI.ExitStatus
    /// A part the message must contain.
    var message: String
    /// A part the hint must contain; nil: there is no hint.
    var hint: String?
    var testDescription: String { "\(type(of: error)): \(message)" }
  }

  static let preset = SPIFFSLayoutPresets.named("4M1M")!
  static let target = PartitionTarget(preset: preset, offset: 0x300000)

  static let rows: [Row] = littlefsRows + [
    Row(error: FileAccessError.noSuchFile(path: "a.bin"), status: .noInput, message: "no such file: a.bin", hint: nil),
    Row(error: FileAccessError.isAFolder(path: "d"), status: .noInput, message: "d is a directory", hint: nil),
    Row(error: FileAccessError.notARegularFile(path: "/dev/zero"), status: .noInput, message: "not a regular file", hint: nil),
    Row(error: FileAccessError.tooLarge(path: "x", size: 1 << 30, limit: 256 << 20), status: .dataError,
        message: "no SPIFFS layout is larger than 256 MiB", hint: "--offset and --layout"),
    Row(error: FileAccessError.unreadable(path: "x"), status: .noInput, message: "cannot read x", hint: "permissions"),
    Row(error: FileAccessError.outputFolderMissing(path: "o/x", folder: "o"), status: .ioError,
        message: "folder o does not exist", hint: nil),
    Row(error: FileAccessError.cannotWrite(path: "x", reason: "disk full"), status: .ioError, message: "cannot write x: disk full", hint: nil),
    Row(error: FileAccessError.cannotCreateFolder(path: "x", reason: "r"), status: .ioError, message: "cannot create folder x", hint: nil),
    Row(error: FileAccessError.notAFolder(path: "x", symlink: true), status: .ioError, message: "not following it", hint: nil),
    Row(error: FolderError.noSuchFolder(path: "data"), status: .noInput, message: "no such folder: data", hint: nil),
    Row(error: FolderError.notAFolder(path: "f"), status: .noInput, message: "f is not a folder", hint: nil),
    Row(error: FolderError.unreadableFolder(path: "d", reason: "r"), status: .noInput, message: "cannot read folder d", hint: nil),
    Row(error: FolderError.tooDeep(path: "d", limit: 64), status: .dataError, message: "more than 64 folders deep", hint: nil),
    Row(error: FolderError.symlinkLoop(path: "d/up"), status: .dataError, message: "symlink loop: d/up", hint: nil),
    Row(error: FolderError.unreadableOrderFile(path: "o"), status: .noInput, message: "cannot read order file o", hint: nil),
    Row(error: FolderError.orderMismatch(orderFile: "o", missing: ["/a"], unknown: ["/b"], duplicates: ["/c"]),
        status: .dataError, message: "not in the order file: /a; not in the folder: /b; listed twice: /c",
        hint: "one SPIFFS path per line"),
    Row(error: ImageDoesNotFit(neededBytes: 2 << 20, capacityBytes: 1 << 20, failedAt: "/big", preset: preset, format: .mkspiffs),
        status: .dataError, message: "do not fit 4M1M", hint: "--format compact"),
    Row(error: CredentialCheckFailed(errors: 2, warnings: 1, target: .esp8266BearSSL), status: .dataError,
        message: "found 2 error(s) for esp8266-bearssl", hint: "--no-cert-check"),
    Row(error: ConversionError.pkcs12(file: "d.pfx"), status: .dataError, message: "openssl pkcs12 -in d.pfx -clcerts -nokeys",
        hint: "after extracting them"),
    Row(error: ConversionError.chainToDER(file: "c.pem", count: 2), status: .dataError, message: "holds 2 certificates", hint: "--to pem"),
    Row(error: ConversionError.corruptKey(file: "k.der"), status: .dataError, message: "k.der: the private key is corrupt",
        hint: "original download"),
    Row(error: ConversionError.encryptedKey(file: "k.pem"), status: .dataError, message: "encrypted", hint: "cannot decrypt"),
    Row(error: ConversionError.badRename("x"), status: .usage, message: "bad rename \"x\"", hint: nil),
    Row(error: UnknownRenameSource(names: ["x.pem"], dataDir: "data"), status: .usage, message: "not in data: x.pem",
        hint: "relative to the data folder"),
    Row(error: LayoutMismatch(error: .notAFileSystem(badBlocks: [0], blockCount: 125, layout: preset.layout), detected: nil),
        status: .dataError, message: "", hint: "check --size and --block"),
    Row(error: ExtractionError.filesExist(["a", "b"]), status: .ioError, message: "2 file(s) already exist", hint: "--force"),
    Row(error: ExtractionError.incomplete(refused: ["/..: x"], failed: []), status: .dataError,
        message: "1 file(s) were not extracted", hint: nil),
    Row(error: PartitionTargetError.noFlashAddress, status: .usage, message: "pass --offset ADDR", hint: "partition table"),
    Row(error: PartitionTargetError.unalignedOffset(0x300100), status: .usage, message: "0x300100 is not a multiple of 0x1000",
        hint: "sector boundary"),
    Row(error: BoardMismatch(kind: .platform, target: target, flashSize: 4 << 20, chip: .esp32), status: .usage,
        message: "layout 4M1M is an ESP8266 layout, but the board is an ESP32", hint: "ESP32 layouts for 4MB flash: esp32-default"),
    Row(error: BoardMismatch(kind: .pastFlashEnd, target: target, flashSize: 1 << 20, chip: .esp8266), status: .usage,
        message: "past the end of the board's 1MB flash", hint: "JEDEC id"),
    Row(error: ProvisionError.noDevicesFolder("t"), status: .noInput, message: "no such devices folder: t", hint: nil),
    Row(error: ProvisionError.noDevices("t"), status: .noInput, message: "t holds no device folders", hint: "t/thing-1/cert.pem"),
    Row(error: ProvisionError.unsafeDeviceNames(["\"-rf\" (starts with '-')"]), status: .dataError, message: "cannot name an image file",
        hint: "letters, digits"),
    Row(error: ProvisionError.devicesFailed([("a", FolderError.noSuchFolder(path: "x"))], of: 3, devicesFolder: "t"),
        status: .dataError, message: "1 of 3 device(s) failed", hint: "out of t"),
    Row(error: ProvisionError.changedWhileProvisioning(device: "t/a", dataDir: "d", image: "a.spiffs.bin"), status: .dataError,
        message: "changed while provisioning", hint: "stable"),
    Row(error: PortError.unknownScheme("http://x"), status: .usage, message: "does not speak", hint: "socket://HOST:PORT"),
    Row(error: PortError.noPortFound, status: .unavailable, message: "no USB serial port found", hint: "ESPFLASH_PORT"),
    Row(error: PortError.severalPorts(["/dev/a", "/dev/b"]), status: .usage, message: "2 USB serial ports found: /dev/a, /dev/b",
        hint: "pass --port"),
    Row(error: PortOpenFailure(error: .busy(name: "/dev/ttyUSB0"), holders: ["PID 7 (screen)"]), status: .unavailable,
        message: "busy", hint: "PID 7 (screen)"),
    Row(error: FlashRegionOverlap(first: "a", firstAddress: 0, firstSize: 0x2000, second: "b", secondAddress: 0x1000),
        status: .usage, message: "a at 0x0 (8192 bytes) overlaps b at 0x1000", hint: nil),
    Row(error: FlashVerifyMismatch(results: [.init(file: "a", address: "0x0", size: 1, verified: false, flashMD5: "x", fileMD5: "y")]),
        status: .dataError, message: "1 of 1 region differ from the file", hint: "write-flash"),
    Row(error: FlashAddressError.beyondFlashEnd(0x400000), status: .usage, message: "0x400000 is beyond the end", hint: nil),
    Row(error: FlashAddressError.unaligned(address: 0x100, size: 0x1000), status: .usage, message: "4 KiB-aligned",
        hint: "multiples of 0x1000"),
    Row(error: TransportError.cannotOpen(name: "sim://esp32", errno: 0, detail: "cannot read flash image"), status: .noInput,
        message: "sim://esp32", hint: nil),
    Row(error: TransportError.cannotOpen(name: "socket://h:1", errno: ECONNREFUSED, detail: "refused"), status: .unavailable,
        message: "socket://h:1", hint: "nothing listens there"),
    Row(error: TransportError.invalidAddress("sim://x", reason: "unknown chip"), status: .usage, message: "sim://x",
        hint: "sim://esp8266"),
    Row(error: LoaderError.badStub(path: "s.json", reason: "no 'entry'"), status: .dataError, message: "s.json", hint: "--stub"),
    Row(error: LoaderError.interrupted(Interruption(kind: .erase, offset: 0x10_0000, size: 0x20_0000, doneUpTo: 0x20_0000)),
        status: .interrupted, message: "0x100000..0x1FFFFF is erased, 0x200000..0x2FFFFF is not", hint: "still in the loader"),
    Row(error: LoaderError.unreadableFlashID(id: 0xFF_FFFF, chip: .esp32), status: .unavailable,
        message: "did not answer its JEDEC id request (read 0xFFFFFF)", hint: "--flash-size"),
    Row(error: CLIError("bad", hint: "h", status: .usage), status: .usage, message: "bad", hint: "h"),
  ]

  @Test(arguments: rows)
  func eachErrorHasItsMessageHintAndStatus(_ row: Row) {
    let rendered = ErrorReport.render(row.error)
    #expect(rendered?.status == row.status)
    #expect(row.error.message.contains(row.message), "\(row.error.message)")
    #expect(rendered?.text.hasPrefix("error: \(row.error.message)\n") == true)
    if let hint = row.hint {
      #expect(row.error.hint?.contains(hint) == true, "\(row.error.hint ?? "no hint")")
      #expect(rendered?.text.hasSuffix("hint: \(row.error.hint ?? "")\n") == true)
    } else {
      #expect(row.error.hint == nil && rendered?.text.contains("hint:") == false)
    }
  }

  /// Every documented status is reachable, and statuses come from the error's type and case, never its text.
  @Test func everyDocumentedFailureStatusIsUsed() {
    let used = Set(Self.rows.map(\.status))
    #expect(used == Set(ESPFlashCLI.ExitStatus.allCases).subtracting([.success, .failure]))
  }
}
