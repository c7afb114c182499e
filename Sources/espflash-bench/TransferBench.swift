import DeviceSimulator
import ESPLoader
import ESPTransport
import Foundation
import SPIFFS

/// Issue 9's figures: bytes each way and modelled time (`WireMeter`: 10 bits per byte at 115200 plus the
/// flash's erase/program time) for the file system operations on every loader, ours beside esptool's.
///
/// Input: the basic tree (testdata/spiffs/input/basic) built compact into the 4M1M layout (1,024,000 bytes
/// at 0x300000); "one file changed" edits /config.json in place (same size, same pages). Ours runs
/// ESPLoader on the in-process virtual board; "op" columns count only the operation, "session" adds the
/// connect and stub upload, which is what esptool's figures (whole runs) contain. esptool 5.6.0 drives the
/// same virtual board over TCP (`TransferBenchEsptool`).
enum TransferBench {
  static let offset = 0x300000
  static let baud = 115_200

  struct Figures {
    var h2d = 0, d2h = 0
    var seconds = 0.0
    /// Sector erases, 64 KiB block erases, page programs.
    var flash = (0, 0, 0)
    static func - (a: Figures, b: Figures) -> Figures {
      var f = Figures(h2d: a.h2d - b.h2d, d2h: a.d2h - b.d2h, seconds: a.seconds - b.seconds)
      f.flash = (a.flash.0 - b.flash.0, a.flash.1 - b.flash.1, a.flash.2 - b.flash.2)
      return f
    }
    static func + (a: Figures, b: Figures) -> Figures {
      var f = Figures(h2d: a.h2d + b.h2d, d2h: a.d2h + b.d2h, seconds: a.seconds + b.seconds)
      f.flash = (a.flash.0 + b.flash.0, a.flash.1 + b.flash.1, a.flash.2 + b.flash.2)
      return f
    }
    init(h2d: Int = 0, d2h: Int = 0, seconds: Double = 0) { self.h2d = h2d; self.d2h = d2h; self.seconds = seconds }
    init(_ meter: WireMeter) {
      self.init(h2d: meter.hostToDeviceBytes, d2h: meter.deviceToHostBytes, seconds: meter.modelledSeconds)
      flash = (meter.sectorErases, meter.blockErases, meter.pagePrograms)
    }
    var text: String {
      "\(LoaderBench.pad(h2d, 9)) \(LoaderBench.pad(d2h, 9)) \(LoaderBench.pad(LoaderBench.fmt(seconds), 8))"
    }
  }

  enum Operation: String, CaseIterable {
    case full = "full upload", unchanged = "re-upload unchanged", oneFile = "one file changed"
    case list = "fs ls on the board", download = "fs download"
  }

  static func run() {
    let root = LoaderBench.repositoryRoot()
    guard let files = SPIFFSBench.loadTree(at: root.appendingPathComponent("testdata/spiffs/input/basic").path) else {
      print("transfer: testdata/spiffs/input/basic not found (run from the repository)")
      return
    }
    let layout = SPIFFSLayout(platform: .esp8266, imageSize: 0xFA000, blockSize: 8192)
    let edited = files.map { file -> SPIFFSFile in
      guard file.name == "/config.json" else { return file }
      return SPIFFSFile(name: file.name, contents: Array(String(decoding: file.contents, as: UTF8.self)
        .replacingOccurrences(of: "0001", with: "0002").utf8))
    }
    guard let image = try? SPIFFSBuilder(layout: layout).build(files).image,
          let changed = try? SPIFFSBuilder(layout: layout).build(edited).image else {
      print("transfer: the basic tree does not build")
      return
    }
    let dataBlocks = stride(from: 0, to: image.count, by: 0x400).filter {
      image[$0..<min(image.count, $0 + 0x400)].contains { $0 != 0xFF }
    }.count
    let differing = stride(from: 0, to: image.count, by: 0x1000).filter {
      image[$0..<($0 + 0x1000)] != changed[$0..<($0 + 0x1000)]
    }.count
    print("== transfers (issue 9): basic tree, 4M1M compact image of \(image.count) bytes at 0x300000, \(baud) baud ==")
    print("  \(dataBlocks) of \(image.count / 0x400) 1 KiB blocks hold data; one-file edit changes \(differing) sector(s)")
    let physical = dataBlocks * (0x400 + 26)
    print("  ESP8266 ROM physical minimum: \(dataBlocks) × (1024 + 26 SLIP/command bytes) = \(physical) B host→device")
    var lister = SPIFFSPartialReader(layout: layout, read: { range, _ in Array(image[range]) },
                                     matches: { range, expected in image[range] == expected })
    var downloader = lister
    _ = try? lister.listing()
    _ = try? downloader.download()
    let share = { (n: Int) in String(format: "%.1f%%", Double(n) * 100 / Double(image.count)) }
    print("  flash bytes read: fs ls \(lister.bytesRead) (\(share(lister.bytesRead)) of the partition, \(lister.reads) reads); "
          + "fs download \(downloader.bytesRead) (\(share(downloader.bytesRead))) + \(downloader.checks) MD5 checks")
    let python = LoaderBench.interopPython(root)
    print("  columns: H>D bytes, D>H bytes, modelled s. esptool: esptool 5.6.0 (PyPI) over TCP against the same "
          + "virtual board, whole runs" + (python == nil ? " — not run (no .interop-venv / ESPFLASH_INTEROP_PYTHON)" : ""))
    print("  loader        operation             | ours op                       | ours session                  | esptool session")
    let roots = stubRoots(python: python)
    for (chip, stub) in [(Chip.esp8266, false), (.esp8266, true), (.esp32, false), (.esp32, true)] {
      let stubPath = stub ? StubLocator.find(chip: chip, roots: roots) : nil
      for operation in Operation.allCases {
        let label = "\(chip.rawValue) \(stub ? "stub" : "ROM ")".padding(toLength: 13, withPad: " ", startingAt: 0)
        let ours = measure(operation, chip: chip, stub: stub, stubPath: stubPath, image: image, changed: changed)
        let theirs = python.flatMap {
          TransferBenchEsptool.measure(operation, python: $0, chip: chip, stub: stub, image: image, changed: changed)
        }
        let op = ours.map { $0.op.text } ?? "      n/a (the loader cannot)  "
        let session = ours.map { ($0.setup + $0.op).text } ?? "                             "
        print("  \(label) \(operation.rawValue.padding(toLength: 21, withPad: " ", startingAt: 0)) | \(op) | "
              + "\(session) | \(theirs?.text ?? "—")")
        if operation == .full || operation == .oneFile, let ours {
          let e = theirs.map { " (esptool \($0.flash.0) + \($0.flash.1), \($0.flash.2))" } ?? ""
          print("    flash work, sector + 64 KiB block erases, page programs: ours \(ours.op.flash.0) + "
                + "\(ours.op.flash.1), \(ours.op.flash.2)\(e)")
        }
        if chip == .esp8266, !stub, operation == .full, let ours {
          print(String(format: "    → host→device %.3f × the physical minimum (target ≤ 1.15)",
                       Double(ours.op.h2d) / Double(physical)))
        }
      }
    }
  }

  /// One operation of ours; nil when the loader cannot do it (the ESP8266 ROM cannot read).
  static func measure(_ operation: Operation, chip: Chip, stub: Bool, stubPath: String?, image: [UInt8],
                      changed: [UInt8]) -> (setup: Figures, op: Figures)? {
    if chip == .esp8266 && !stub && (operation == .list || operation == .download) { return nil }
    var flash = NORFlash(size: 4 << 20)
    if operation != .full {
      var bytes = flash.bytes
      bytes.replaceSubrange(offset..<(offset + image.count), with: image)
      flash = NORFlash(contents: bytes)
    }
    let board = VirtualBoard(configuration: BoardConfiguration(chip: chip), flash: flash)
    let transport = VirtualBoardTransport(board: board, name: "sim://\(chip.rawValue)")
    do {
      let flasher = try Flasher.connect(transport: transport, options: ConnectOptions(before: .noReset, chip: chip),
                                        sleep: { _ in })
      if stub {
        guard let stubPath else { return nil }
        try flasher.runStub(try StubImage.load(path: stubPath))
      }
      _ = try flasher.detectFlashSize()
      let setup = Figures(board.meter)
      switch operation {
      case .full:
        _ = try flasher.writeSparse(image, at: UInt32(offset), options: SparseWriteOptions(skipUnchanged: false))
      case .unchanged:
        _ = try flasher.writeSparse(image, at: UInt32(offset))
      case .oneFile:
        _ = try flasher.writeSparse(changed, at: UInt32(offset))
      case .list, .download:
        var reader = SPIFFSPartialReader(
          layout: SPIFFSLayout(platform: .esp8266, imageSize: image.count, blockSize: 8192),
          read: { range, _ in try flasher.readFlash(offset: UInt32(offset + range.lowerBound), size: range.count) },
          matches: { range, expected in
            try flasher.flashMD5(offset: UInt32(offset + range.lowerBound), size: range.count)
              .map { String(format: "%02x", $0) }.joined() == Flasher.md5Hex(Array(expected))
          })
        if operation == .list { _ = try reader.listing() } else { _ = try reader.download() }
      }
      let expected = operation == .oneFile ? changed : image
      guard board.flash.read(at: offset, count: expected.count) == expected else {
        print("    MISMATCH after \(operation.rawValue) on \(chip)")
        return nil
      }
      return (setup, Figures(board.meter) - setup)
    } catch {
      print("    \(chip) \(operation.rawValue): failed: \(error)")
      return nil
    }
  }

  static func stubRoots(python: String?) -> [String] {
    var environment = ProcessInfo.processInfo.environment
    if environment["ESPFLASH_STUB_DIR"] == nil, let python,
       let dir = TransferBenchEsptool.stubDirectory(python: python) {
      environment["ESPFLASH_STUB_DIR"] = dir
    }
    return StubLocator.searchRoots(environment: environment, askPython: false)
  }
}
