import DeviceSimulator
import ESPLoader
import ESPTransport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// esptool 5.6.0's side of `TransferBench`: the same operations where esptool has one, each a whole
/// esptool run against the virtual board served over TCP (as `espflash-swift simulate` serves it):
/// `write-flash` (full upload), `write-flash --skip-flashed` (unchanged), `write-flash ADDR NEW --diff-with OLD`
/// (one file changed), `read-flash` of the partition (download). esptool has no file listing.
enum TransferBenchEsptool {
  static func measure(_ operation: TransferBench.Operation, python: String, chip: Chip, stub: Bool,
                      image: [UInt8], changed: [UInt8]) -> TransferBench.Figures? {
    let offset = TransferBench.offset
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("transferbench-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let old = folder.appendingPathComponent("old.bin"), new = folder.appendingPathComponent("new.bin")
    let flashFile = folder.appendingPathComponent("flash.bin"), out = folder.appendingPathComponent("out.bin")
    try? Data(image).write(to: old)
    try? Data(changed).write(to: new)
    var arguments: [String]
    switch operation {
    case .full: arguments = ["write-flash", Hex(offset), old.path]
    case .unchanged: arguments = ["write-flash", "--skip-flashed", Hex(offset), old.path]
    // --diff-with takes several files: after the positionals, or it swallows the address.
    case .oneFile: arguments = ["write-flash", Hex(offset), new.path, "--diff-with", old.path]
    case .list: return nil
    case .download: arguments = ["read-flash", Hex(offset), Hex(image.count), out.path]
    }
    if operation != .full {
      var flash = [UInt8](repeating: 0xFF, count: 4 << 20)
      flash.replaceSubrange(offset..<(offset + image.count), with: image)
      try? Data(flash).write(to: flashFile)
    }
    guard let server = try? BoardServer(configuration: BoardConfiguration(chip: chip, bootLog: false),
                                        imagePath: operation == .full ? nil : flashFile.path),
          let listener = try? BoardServer.listen(host: "127.0.0.1", port: 0) else { return nil }
    let box = LoaderBench.ServerBox(server)
    server.onSessionEnd = { meter in box.set(meter) }
    server.shouldStop = { box.stopRequested }
    let thread = Thread {
      box.server.serve(listener, maxConnections: 1)
      box.finish()
    }
    thread.start()
    var command = ["-m", "esptool", "--chip", chip.rawValue, "--port", listener.url, "--baud",
                   String(TransferBench.baud), "--before", "no-reset", "--after", "no-reset"]
    if !stub { command.append("--no-stub") }
    let status = LoaderBench.runQuietly(python, command + arguments)
    let deadline = Date().addingTimeInterval(10)
    while !box.isFinished && Date() < deadline { usleep(20_000) }
    box.requestStop()
    while !box.isFinished { usleep(20_000) }
    close(listener.descriptor)
    guard status == 0, let meter = box.meter else { return nil }
    let expected = operation == .oneFile ? changed : image
    guard box.server.flash.read(at: offset, count: expected.count) == expected else { return nil }
    if operation == .download, (try? Data(contentsOf: out)).map({ [UInt8]($0) }) != image { return nil }
    return TransferBench.Figures(meter)
  }

  static func Hex(_ value: Int) -> String { "0x" + String(value, radix: 16) }

  /// esptool's stub_flasher folder inside the interop venv.
  static func stubDirectory(python: String) -> String? {
    let lib = URL(fileURLWithPath: python).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("lib")
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
    guard let version = versions.first(where: { $0.hasPrefix("python3") }) else { return nil }
    return lib.appendingPathComponent("\(version)/site-packages/esptool/targets/stub_flasher").path
  }
}
