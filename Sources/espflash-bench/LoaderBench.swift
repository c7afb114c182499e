import DeviceSimulator
import ESPLoader
import ESPTransport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wire figures for writing the 4M1M basic SPIFFS vector image at 0x300000 on the virtual ESP8266 and
/// ESP32: bytes and frames each way and modelled seconds (10 bits per byte at the link's baud, plus the
/// flash's datasheet-typical erase/program time, `FlashTiming`), ROM and stub, at 115200 and 921600; beside
/// the physical limit and esptool's figures from the traffic captures (c20/c21, a same-size payload).
///
/// The esptool rows drive the simulator with esptool 5.6.0 itself over TCP (needs the interop venv:
/// `ESPFLASH_INTEROP_PYTHON` or `.interop-venv/bin/python`); the client rows drive it with our ESPLoader
/// `Flasher` in process. Both count the whole session: connect, stub upload, baud change, write, verify.
enum LoaderBench {
  static let offset = 0x300000
  static let bauds = [115_200, 921_600]

  static func run() {
    let root = repositoryRoot()
    let imagePath = root.appendingPathComponent("testdata/spiffs/images/esp8266_4M1M_basic.bin").path
    guard let data = FileManager.default.contents(atPath: imagePath) else {
      print("loader: \(imagePath) not found (run from the repository)")
      return
    }
    let image = [UInt8](data)
    print("loader: 4M1M basic SPIFFS image, \(image.count) bytes at 0x300000")
    printPhysicalLimit(image)
    printCaptures(root)
    if let python = interopPython(root) {
      print("  esptool 5.6.0 driving the simulator over TCP (\(python)):")
      print("    chip     loader baud    H>D bytes  D>H bytes  frames H>D/D>H  wire s   flash s  modelled s  readback")
      for chip in ["esp8266", "esp32"] {
        for stub in [false, true] {
          for baud in bauds {
            esptoolRow(python: python, chip: chip, stub: stub, baud: baud, image: image)
          }
        }
      }
    } else {
      print("  esptool rows: skipped (set ESPFLASH_INTEROP_PYTHON or create .interop-venv with esptool==5.6.0)")
    }
    clientRows(image: image, root: root)
  }

  /// What no protocol can beat: the bytes that are not 0xFF (an erased flash already holds the rest) at the
  /// baud, plus erasing the partition (64 KiB blocks where aligned) and programming its non-blank pages.
  static func printPhysicalLimit(_ image: [UInt8]) {
    let payload = image.filter { $0 != 0xFF }.count
    var flash = NORFlash(size: 4 << 20)
    let sectors = (image.count + 0xFFF) / 0x1000
    flash.eraseSectors(from: offset / 0x1000, count: sectors)
    for page in stride(from: 0, to: image.count, by: 0x100) {
      let chunk = Array(image[page..<min(image.count, page + 0x100)])
      if chunk.contains(where: { $0 != 0xFF }) { flash.program(at: offset + page, chunk) }
    }
    let timing = FlashTiming()
    let counts = flash.counts
    let flashSeconds = Double(counts.sectorErases) * timing.sectorErase + Double(counts.blockErases) * timing.blockErase
      + Double(counts.pagePrograms) * timing.pageProgram
    print("  physical limit: \(payload) non-0xFF bytes; flash \(fmt(flashSeconds)) s "
          + "(\(counts.blockErases) block + \(counts.sectorErases) sector erases, \(counts.pagePrograms) pages)")
    for baud in bauds {
      print("    @\(baud): \(fmt(Double(payload) * 10 / Double(baud) + flashSeconds)) s")
    }
  }

  /// esptool against esp32-mock-bootloader with a 0xFA000-byte payload (not this image): c20 ROM, c21 stub.
  static func printCaptures(_ root: URL) {
    print("  esptool captures (testdata/esptool-traffic, same size, different payload):")
    for name in ["c20_esp8266_rom_write_fs4M1M_0xFA000", "c21_esp8266_stub_write_fs4M1M_0xFA000"] {
      let path = root.appendingPathComponent("testdata/esptool-traffic/\(name).summary.json")
      guard let data = FileManager.default.contents(atPath: path.path),
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let h2d = json["wire_bytes_h2d"] as? Int, let d2h = json["wire_bytes_d2h"] as? Int else {
        print("    \(name): summary not found")
        continue
      }
      let times = bauds.map { "@\($0) \(fmt(Double(h2d + d2h) * 10 / Double($0))) s" }.joined(separator: ", ")
      print("    \(name): H>D \(h2d) B, D>H \(d2h) B; wire \(times)")
    }
  }

  /// One esptool `write-flash` through an in-process TCP server; prints the meter.
  static func esptoolRow(python: String, chip: String, stub: Bool, baud: Int, image: [UInt8]) {
    guard let configurationChip = Chip(argument: chip),
          let server = try? BoardServer(configuration: BoardConfiguration(chip: configurationChip, bootLog: false),
                                        imagePath: nil),
          let listener = try? BoardServer.listen(host: "127.0.0.1", port: 0) else {
      print("    \(chip): cannot start the simulator")
      return
    }
    let box = ServerBox(server)
    server.onSessionEnd = { meter in box.set(meter) }
    server.shouldStop = { box.stopRequested }
    let thread = Thread {
      box.server.serve(listener, maxConnections: 1)
      box.finish()
    }
    thread.start()
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("loaderbench-\(getpid()).bin")
    try? Data(image).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    var arguments = ["-m", "esptool", "--chip", chip, "--port", listener.url, "--baud", String(baud),
                     "--before", "no-reset", "--after", "no-reset"]
    if !stub { arguments.append("--no-stub") }
    arguments += ["write-flash", "0x300000", file.path]
    let status = runQuietly(python, arguments)
    let deadline = Date().addingTimeInterval(10)
    while !box.isFinished && Date() < deadline { usleep(20_000) }
    box.requestStop()
    while !box.isFinished { usleep(20_000) }
    close(listener.descriptor)
    guard status == 0, let meter = box.meter else {
      print("    \(chip) esptool exited \(status)")
      return
    }
    let readback = box.server.flash.read(at: offset, count: image.count) == image ? "ok" : "MISMATCH"
    printRow(chip: chip, stub: stub, baud: baud, meter: meter, readback: readback)
  }

  /// Our ESPLoader client writing the same image on an in-process virtual board (default reset through
  /// DTR/RTS, stub from the esptool installation when one is found, compression where the loader inflates).
  static func clientRows(image: [UInt8], root: URL) {
    var environment = ProcessInfo.processInfo.environment
    if environment["ESPFLASH_STUB_DIR"] == nil, let python = interopPython(root) {
      let lib = URL(fileURLWithPath: python).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("lib")
      let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
      if let version = versions.first(where: { $0.hasPrefix("python3") }) {
        environment["ESPFLASH_STUB_DIR"] = lib.appendingPathComponent("\(version)/site-packages/esptool/targets/stub_flasher").path
      }
    }
    let roots = StubLocator.searchRoots(environment: environment, askPython: false)
    print("  espflash-swift client (ESPLoader) on the in-process board:")
    print("    chip     loader baud    H>D bytes  D>H bytes  frames H>D/D>H  wire s   flash s  modelled s  readback")
    for chip in [Chip.esp8266, .esp32] {
      let stubPath = StubLocator.find(chip: chip, roots: roots)
      for stub in [false, true] {
        if stub && stubPath == nil {
          print("    \(chip.rawValue) stub: no esptool stub JSON found (set ESPFLASH_STUB_DIR)")
          continue
        }
        for baud in bauds {
          clientRow(chip: chip, stubPath: stub ? stubPath : nil, baud: baud, image: image)
        }
      }
    }
  }

  static func clientRow(chip: Chip, stubPath: String?, baud: Int, image: [UInt8]) {
    let board = VirtualBoard(configuration: BoardConfiguration(chip: chip), startInDownloadMode: false)
    let transport = VirtualBoardTransport(board: board, name: "sim://\(chip.rawValue)")
    do throws(LoaderError) {
      let flasher = try Flasher.connect(transport: transport, options: ConnectOptions(before: .defaultReset, chip: chip),
                                        sleep: { _ in })
      if let stubPath { try flasher.runStub(try StubImage.load(path: stubPath)) }
      if baud != transport.baudRate { try flasher.changeBaudRate(baud) }
      _ = try flasher.writeFlash(image, at: UInt32(offset))
    } catch {
      print("    \(chip.rawValue) \(stubPath == nil ? "ROM" : "stub") @\(baud): failed: \(error)")
      return
    }
    let meter = board.meter
    let readback = board.flash.read(at: offset, count: image.count) == image ? "ok" : "MISMATCH"
    printRow(chip: chip.rawValue, stub: stubPath != nil, baud: baud, meter: meter, readback: readback)
  }

  static func printRow(chip: String, stub: Bool, baud: Int, meter: WireMeter, readback: String) {
    let loader = stub ? "stub" : "ROM "
    print("    \(chip.padding(toLength: 8, withPad: " ", startingAt: 0)) \(loader)   \(String(baud).padding(toLength: 7, withPad: " ", startingAt: 0)) "
          + "\(pad(meter.hostToDeviceBytes, 10)) \(pad(meter.deviceToHostBytes, 10))  "
          + "\(pad(meter.hostToDeviceFrames, 5))/\(pad(meter.deviceToHostFrames, 5))    "
          + "\(pad(fmt(meter.wireSeconds), 7))  \(pad(fmt(meter.flashSeconds), 7))  \(pad(fmt(meter.modelledSeconds), 9))   \(readback)")
  }

  // MARK: helpers

  /// Hands the server to its thread; the lock guards the flags and the meter the two threads share.
  final class ServerBox: @unchecked Sendable {
    let server: BoardServer
    private let lock = NSLock()
    private var storedMeter: WireMeter?
    private var finished = false
    private var stop = false
    init(_ server: BoardServer) { self.server = server }
    var meter: WireMeter? { lock.withLock { storedMeter } }
    var isFinished: Bool { lock.withLock { finished } }
    var stopRequested: Bool { lock.withLock { stop } }
    func set(_ meter: WireMeter) { lock.withLock { storedMeter = meter } }
    func finish() { lock.withLock { finished = true } }
    func requestStop() { lock.withLock { stop = true } }
  }

  static func runQuietly(_ executable: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
  }

  static func interopPython(_ root: URL) -> String? {
    let candidates: [String?] = [ProcessInfo.processInfo.environment["ESPFLASH_INTEROP_PYTHON"],
                      root.appendingPathComponent(".interop-venv/bin/python").path]
    return candidates.compactMap { $0 }.first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
  }

  static func repositoryRoot() -> URL {
    var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    for _ in 0..<6 {
      if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
      directory.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  static func fmt(_ value: Double) -> String { String(format: "%.2f", value) }
  static func pad(_ value: some CustomStringConvertible, _ width: Int) -> String {
    let text = value.description
    return String(repeating: " ", count: max(0, width - text.count)) + text
  }
}
