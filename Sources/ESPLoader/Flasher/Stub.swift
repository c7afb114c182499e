/// A flasher stub image as esptool ≥ 4 keeps it (`stub_flasher/{1,2}/<chip>.json`, §9.1): `text` and `data`
/// with their load addresses and the entry point. Stub binaries are never part of this repository; they are
/// read from the user's esptool installation or a path they give (the JSON and the search: ESPTransport).
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
    let clock = connection.clock
    let deadline = clock.now() + 3
    while clock.now() < deadline {
      guard let frame = try connection.readFrame(timeout: deadline - clock.now(), during: "MEM_END") else { break }
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

