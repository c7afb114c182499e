/// SplitMix64, the seeded generator behind every property and fuzz test: small, fast and the same on every
/// platform, so a failing random case can be rebuilt from the seed its test prints. One copy for all test
/// targets, so a seed means the same sequence everywhere. (The virtual board keeps its own copy in
/// DeviceSimulator for fault injection: production code does not depend on test support.)
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension SplitMix64 {
  /// The low byte of the next value: one whole step per byte (unlike `UInt8.random(in:using:)`), which is
  /// what the seeded payloads of the loader and interop tests were generated with.
  public mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}
