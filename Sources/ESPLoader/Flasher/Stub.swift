import Foundation

/// A flasher stub image as esptool ≥ 4 keeps it (`stub_flasher/{1,2}/<chip>.json`, §9.1): base64 `text` and
/// `data` with their load addresses and the entry point. Stub binaries are never part of this repository;
/// they are read from the user's esptool installation or a path they give.
public struct StubImage: Sendable, Equatable {
  public var text: [UInt8]
  public var textStart: UInt32
  public var data: [UInt8]
  public var dataStart: UInt32
  public var entry: UInt32
  /// Where it was read from, for messages.
  public var source: String

  public init(text: [UInt8], textStart: UInt32, data: [UInt8], dataStart: UInt32, entry: UInt32, source: String) {
    self.text = text
    self.textStart = textStart
    self.data = data
    self.dataStart = dataStart
    self.entry = entry
    self.source = source
  }

  /// Parses esptool's JSON. `text`, `text_start` and `entry` are required; `data`/`data_start` optional.
  public init(json: [UInt8], source: String) throws(LoaderError) {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
      throw .badStub(path: source, reason: "not a JSON object")
    }
    func number(_ key: String) -> UInt32? {
      (object[key] as? NSNumber).flatMap { UInt32(exactly: $0.uint64Value) }
    }
    func blob(_ key: String) -> [UInt8]? {
      (object[key] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
    }
    guard let text = blob("text"), !text.isEmpty else { throw .badStub(path: source, reason: "no base64 'text'") }
    guard let textStart = number("text_start") else { throw .badStub(path: source, reason: "no 'text_start'") }
    guard let entry = number("entry") else { throw .badStub(path: source, reason: "no 'entry'") }
    let data = blob("data") ?? []
    guard data.isEmpty || number("data_start") != nil else {
      throw .badStub(path: source, reason: "'data' without 'data_start'")
    }
    self.init(text: text, textStart: textStart, data: data, dataStart: number("data_start") ?? 0, entry: entry,
              source: source)
  }

  /// Reads and parses a JSON file.
  public static func load(path: String) throws(LoaderError) -> StubImage {
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw .badStub(path: path, reason: "cannot read the file")
    }
    return try StubImage(json: [UInt8](contents), source: path)
  }
}

/// Finds the stub JSON of an installed esptool (§9.4): `ESPFLASH_STUB_DIR`, then the esptool that
/// `python3` imports, then the usual site-packages, ESP-IDF and PlatformIO places. Version "2"
/// (esp-flasher-stub, Apache-2.0/MIT) is preferred over "1" (legacy, GPL), like esptool ≥ 5.3.
public enum StubLocator {
  /// The directories searched, in order, for messages and for the search itself.
  public static func searchRoots(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 askPython: Bool = true) -> [String] {
    var roots: [String] = []
    if let dir = environment["ESPFLASH_STUB_DIR"], !dir.isEmpty { roots.append(dir) }
    if askPython {
      let python = environment["ESPFLASH_PYTHON"] ?? "python3"
      if let dir = esptoolDirectory(python: python) { roots.append(dir + "/targets/stub_flasher") }
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    var sitePackages: [String] = []
    for base in [home + "/.local/lib", "/usr/local/lib", "/usr/lib", "/opt/homebrew/lib"] {
      for entry in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where entry.hasPrefix("python3") {
        sitePackages += [base + "/" + entry + "/site-packages", base + "/" + entry + "/dist-packages"]
      }
    }
    sitePackages.append("/usr/lib/python3/dist-packages")
    let idfEnvs = home + "/.espressif/python_env"
    for env in (try? FileManager.default.contentsOfDirectory(atPath: idfEnvs)) ?? [] {
      for py in (try? FileManager.default.contentsOfDirectory(atPath: "\(idfEnvs)/\(env)/lib")) ?? [] {
        sitePackages.append("\(idfEnvs)/\(env)/lib/\(py)/site-packages")
      }
    }
    roots += sitePackages.map { $0 + "/esptool/targets/stub_flasher" }
    roots.append(home + "/.platformio/packages/tool-esptoolpy/esptool/targets/stub_flasher")
    return roots
  }

  /// The first `<root>/{2,1}/<chip>.json` (or `<root>/<chip>.json`) that exists.
  public static func find(chip: Chip, roots: [String]) -> String? {
    for root in roots {
      for candidate in ["\(root)/2/\(chip.rawValue).json", "\(root)/1/\(chip.rawValue).json", "\(root)/\(chip.rawValue).json"]
      where FileManager.default.isReadableFile(atPath: candidate) {
        return candidate
      }
    }
    return nil
  }

  /// Asks `python -c "import esptool"` where esptool lives; bounded to 5 s.
  static func esptoolDirectory(python: String) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, "-c", "import esptool,os;print(os.path.dirname(esptool.__file__))"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let deadline = Monotonic.now() + 5
    while process.isRunning, Monotonic.now() < deadline { Monotonic.sleep(0.01) }
    if process.isRunning { process.terminate(); process.waitUntilExit(); return nil }
    guard process.terminationStatus == 0 else { return nil }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return output.isEmpty ? nil : output
  }
}

extension Flasher {

  /// Uploads a stub with MEM_BEGIN/MEM_DATA/MEM_END and waits for its `OHAI` greeting (§9.2).
  public func runStub(_ stub: StubImage) throws(LoaderError) {
    guard !isStub else { return }
    if let refusal = stubRefusal {
      throw .unsupported(operation: "running the flasher stub", loader: loaderName, reason: refusal,
                         remedy: "use --stub none: the ROM loader writes, but cannot verify in Secure Download Mode")
    }
    let block = ramBlockSize
    for (name, bytes, address) in [("text", stub.text, stub.textStart), ("data", stub.data, stub.dataStart)]
    where !bytes.isEmpty {
      let blocks = (bytes.count + block - 1) / block
      try connection.command(.memBegin(totalSize: UInt32(bytes.count), blocks: UInt32(blocks),
                                       blockSize: UInt32(block), address: address),
                             context: "(stub \(name) at \(hexAddress(address)))")
      for seq in 0..<blocks {
        let chunk = Array(bytes[(seq * block)..<min(bytes.count, (seq + 1) * block)])
        try connection.command(.memData(sequence: UInt32(seq), payload: chunk),
                               context: "block \(seq + 1) of \(blocks) of the stub \(name)")
      }
    }
    try connection.send(.memEnd(entry: stub.entry))
    // The MEM_END reply may be cut short by the jump (§2); only OHAI matters.
    let deadline = Monotonic.now() + 3
    while Monotonic.now() < deadline {
      guard let frame = try connection.readFrame(timeout: deadline - Monotonic.now(), during: "MEM_END") else { break }
      if frame == Array("OHAI".utf8) {
        isStub = true
        loadedStub = stub
        flashAttached = false
        parametersSentFor = nil
        return
      }
      if let reply = Response(frame: frame), reply.opcode == Opcode.memEnd.rawValue,
         let status = reply.status(expectedDataLength: 0), status.first != 0 {
        throw .deviceRejected(command: "MEM_END", context: "(starting the stub at \(hexAddress(stub.entry)))",
                              status: DeviceStatus(first: status.first, second: status.second))
      }
    }
    throw .stubDidNotStart(chip: chip, detail: "no OHAI greeting within 3 s of MEM_END (entry \(hexAddress(stub.entry)))")
  }

}

