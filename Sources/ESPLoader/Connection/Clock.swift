#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time and sleeping for timeouts and reset delays; wall-clock changes must not stretch a timeout.
public enum Monotonic {
  /// Seconds since an arbitrary start.
  public static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  public static func sleep(_ seconds: Double) {
    guard seconds > 0 else { return }
    var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var rem = timespec()
    while nanosleep(&ts, &rem) != 0, errno == EINTR { ts = rem }
  }
}

/// Time as the loader sees it: every timeout is a deadline on `now()`, every reset or retry delay a `sleep`.
/// `SystemClock` is the monotonic clock above. Tests pass a clock that advances when their fake transport
/// "waits", so timeout and retry paths run without waiting real seconds.
public protocol LoaderClock: AnyObject {
  /// Seconds since an arbitrary start; never goes backwards.
  func now() -> Double
  func sleep(_ seconds: Double)
}

/// The monotonic system clock.
public final class SystemClock: LoaderClock, Sendable {
  public static let shared = SystemClock()
  public init() {}
  public func now() -> Double { Monotonic.now() }
  public func sleep(_ seconds: Double) { Monotonic.sleep(seconds) }
}
