#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 (FIPS 180-4) for the digest esptool appends to app images, recomputed after a header patch
/// (§6.2). Here so the protocol core needs no crypto library; the tests check it against swift-crypto.
public enum SHA256Digest {
  private static let primes: [Double] = {
    var found: [Int] = []
    var n = 2
    while found.count < 64 {
      if !found.contains(where: { n % $0 == 0 }) { found.append(n) }
      n += 1
    }
    return found.map(Double.init)
  }()

  /// The first 32 bits of the fractional part of `x` (FIPS 180-4 §4.2.2, §5.3.3 define the constants so).
  private static func fraction32(_ x: Double) -> UInt32 {
    UInt32(truncatingIfNeeded: Int64(((x - x.rounded(.down)) * 4_294_967_296.0).rounded(.down)))
  }

  /// K: cube roots of the first 64 primes.
  private static let k: [UInt32] = primes.map { fraction32(cbrt($0)) }
  /// H(0): square roots of the first 8 primes.
  private static let initial: [UInt32] = primes.prefix(8).map { fraction32($0.squareRoot()) }

  @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }

  public static func hash(_ data: some Collection<UInt8>) -> [UInt8] {
    var h = initial
    var message = Array(data)
    let bitLength = UInt64(message.count) &* 8
    message.append(0x80)
    while message.count % 64 != 56 { message.append(0) }
    for i in (0..<8).reversed() { message.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
    var w = [UInt32](repeating: 0, count: 64)
    for chunk in stride(from: 0, to: message.count, by: 64) {
      for i in 0..<16 {
        let b = chunk + 4 * i
        w[i] = UInt32(message[b]) << 24 | UInt32(message[b + 1]) << 16 | UInt32(message[b + 2]) << 8 | UInt32(message[b + 3])
      }
      for i in 16..<64 {
        let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
        let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
      }
      var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
      for i in 0..<64 {
        let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
        (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
      }
      for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
    }
    return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32($0))) } }
  }
}
