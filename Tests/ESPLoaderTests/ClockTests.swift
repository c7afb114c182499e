import Crypto
import Testing
import TestSupport
@testable import ESPLoader

/// A clock that moves only when the code under test waits: a timeout of 3 s costs no real time.
final class ManualClock: LoaderClock {
  private(set) var current = 1000.0
  func now() -> Double { current }
  func sleep(_ seconds: Double) { current += max(0, seconds) }
}

/// A board that never answers; each read "waits" its whole timeout on the manual clock.
final class SilentTransport: Transport {
  let clock: ManualClock
  private(set) var written = 0
  init(clock: ManualClock) { self.clock = clock }
  var name: String { "silent" }
  var baudRate: Int { 115_200 }
  var supportsControlLines: Bool { true }
  func write(_ bytes: [UInt8]) throws(TransportError) { written += bytes.count }
  func read(maxCount: Int, timeout: Double) throws(TransportError) -> [UInt8] {
    clock.sleep(timeout)
    return []
  }
  func discardInput() throws(TransportError) {}
  func setBaudRate(_ baud: Int) throws(TransportError) {}
  func setControlLines(dtr: Bool?, rts: Bool?) throws(TransportError) {}
  func close() {}
}

@Suite struct ClockTests {
  @Test func aReadTimeoutIsMeasuredOnTheInjectedClock() throws {
    let clock = ManualClock()
    let connection = LoaderConnection(transport: SilentTransport(clock: clock), clock: clock)
    let start = clock.now()
    #expect(try connection.readFrame(timeout: 3, during: "test") == nil)
    #expect(clock.now() - start >= 3 && clock.now() - start < 3.5)
  }

  @Test func everyConnectAttemptAndItsResetDelaysRunOnTheInjectedClock() throws {
    let clock = ManualClock()
    let transport = SilentTransport(clock: clock)
    let start = clock.now()
    #expect {
      try Flasher.connect(transport: transport, options: ConnectOptions(before: .defaultReset, attempts: 4), clock: clock)
    } throws: { error in
      guard case .connectFailed(_, let tried, _) = error as? LoaderError else { return false }
      return tried.count == 4
    }
    // Four attempts of five SYNCs with their timeouts and the reset sequences' delays: seconds on the
    // manual clock, none of them waited for real.
    #expect(clock.now() - start > 2, "\(clock.now() - start)")
    #expect(transport.written > 0)
  }
}

/// The protocol core's own MD5 and SHA-256 agree with swift-crypto's on seeded random inputs.
@Suite struct DigestTests {
  @Test func md5AndSHA256MatchSwiftCrypto() {
    let seed = UInt64.random(in: 1...UInt64.max)
    var generator = SplitMix64(seed: seed)
    for length in [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 4096, 10_007] {
      let data = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      #expect(MD5.digest(data) == Array(Insecure.MD5.hash(data: data)), "length \(length), seed \(seed)")
      #expect(SHA256Digest.hash(data) == Array(SHA256.hash(data: data)), "length \(length), seed \(seed)")
    }
    #expect(MD5.hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")  // RFC 1321 A.5
  }
}
