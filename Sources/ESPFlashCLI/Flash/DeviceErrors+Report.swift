import ESPFlashKit
import ESPLoader

/// How the library's port and flash-job failures read on the command line.
extension PortError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    switch self {
    case .unknownScheme: "use a device path, socket://HOST:PORT or sim://esp8266"
    case .noPortFound:
      "connect the board, or pass --port /dev/ttyUSB0 (or set ESPFLASH_PORT); `espflash-swift ports` lists what the system sees"
    case .severalPorts: "pass --port with one of them (or set ESPFLASH_PORT)"
    }
  }
  public var exitStatus: ExitStatus {
    if case .noPortFound = self { return .unavailable }
    return .usage
  }
}

extension PortOpenFailure: ReportableError {
  public var message: String { error.description }
  public var hint: String? {
    guard !holders.isEmpty else { return error.hint }
    return "it is held by " + holders.joined(separator: ", ") + "; close that program, then retry"
  }
  public var exitStatus: ExitStatus { error.exitStatus }
}

extension FlashRegionOverlap: ReportableError {
  public var message: String { description }
  public var hint: String? { nil }
  public var exitStatus: ExitStatus { .usage }
}

extension FlashVerifyMismatch: ReportableError {
  public var message: String { description }
  public var hint: String? { "write them again with write-flash" }
  public var exitStatus: ExitStatus { .dataError }
}

extension FlashAddressError: ReportableError {
  public var message: String { description }
  public var hint: String? {
    if case .unaligned = self { return "round to multiples of 0x1000" }
    return nil
  }
  public var exitStatus: ExitStatus { .usage }
}
