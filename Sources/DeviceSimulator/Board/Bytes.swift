/// Little-endian field access for the device side. The simulator parses requests itself and never shares
/// the client's encoders, so a field-order bug cannot hide on both sides.
enum LE {
  /// The u32 at `index`, or nil when the buffer is too short.
  static func u32(_ bytes: [UInt8], _ index: Int) -> UInt32? {
    guard index >= 0, index + 4 <= bytes.count else { return nil }
    return UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
      | UInt32(bytes[index + 3]) << 24
  }

  static func u16(_ bytes: [UInt8], _ index: Int) -> UInt16? {
    guard index >= 0, index + 2 <= bytes.count else { return nil }
    return UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
  }

  static func bytes(_ value: UInt32) -> [UInt8] {
    [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
  }

  static func bytes(_ value: UInt16) -> [UInt8] {
    [UInt8(value & 0xFF), UInt8(value >> 8)]
  }

  /// All words of a buffer whose length is a multiple of 4.
  static func words(_ bytes: [UInt8]) -> [UInt32] {
    stride(from: 0, to: bytes.count - 3, by: 4).compactMap { u32(bytes, $0) }
  }
}

/// The loaders' data checksum: 0xEF XOR every payload byte (`rom-protocol.md` §1.2).
func loaderChecksum(_ bytes: some Sequence<UInt8>) -> UInt8 {
  bytes.reduce(0xEF) { $0 ^ $1 }
}

/// A small deterministic generator (SplitMix64) for garbled bytes and random faults; seeded, so a failing
/// test can be replayed.
struct SplitMix64: Sendable {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// A uniform value in 0..<1.
  mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
