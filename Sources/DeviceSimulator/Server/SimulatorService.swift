import ESPLoader
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `espflash-swift simulate` as a call: serve one virtual board over TCP or a pseudo-terminal until the
/// connection limit or SIGINT/SIGTERM, saving the flash image at the end.
public struct SimulatorService {
  public enum Endpoint: Sendable {
    case pseudoTerminal
    case tcp(host: String, port: UInt16)
  }

  public var configuration: BoardConfiguration
  public var imagePath: String?
  public var endpoint: Endpoint
  /// Stop after this many TCP connections (tests).
  public var maxConnections: Int?
  /// Byte faults on the served line (`--fault`), each firing once over the server's life.
  public var faults: [ByteFault] = []
  /// Told when a fault fires.
  public var onFault: (String) -> Void = { _ in }

  public init(configuration: BoardConfiguration, imagePath: String?, endpoint: Endpoint, maxConnections: Int? = nil) {
    self.configuration = configuration
    self.imagePath = imagePath
    self.endpoint = endpoint
    self.maxConnections = maxConnections
  }

  /// `announce` gets the address clients use (the pty path or socket:// URL) as soon as it exists.
  public func run(announce: (String) -> Void, onSaveError: @escaping (any Error) -> Void,
                  onSessionEnd: @escaping (Int, WireMeter) -> Void) throws(TransportError) {
    let server = try BoardServer(configuration: configuration, imagePath: imagePath)
    server.wireFaults = WireFaults(faults)
    server.onFault = onFault
    SimulatorSignals.install()
    server.shouldStop = { SimulatorSignals.stopRequested }
    server.onSaveError = onSaveError
    var session = 0
    server.onSessionEnd = { meter in
      session += 1
      onSessionEnd(session, meter)
    }
    switch endpoint {
    case .pseudoTerminal:
      let terminal = try BoardServer.openPseudoTerminal()
      announce(terminal.slavePath)
      server.serve(terminal)
    case .tcp(let host, let port):
      let listener = try BoardServer.listen(host: host, port: port)
      announce(listener.url)
      server.serve(listener, maxConnections: maxConnections)
      close(listener.descriptor)
    }
    server.saveImage()
  }
}

/// SIGINT/SIGTERM set a flag the server polls, so it can save the image and exit cleanly.
public enum SimulatorSignals {
  nonisolated(unsafe) private static var flag: sig_atomic_t = 0

  public static var stopRequested: Bool { flag != 0 }

  public static func install() {
    signal(SIGINT) { _ in SimulatorSignals.flag = 1 }
    signal(SIGTERM) { _ in SimulatorSignals.flag = 1 }
    signal(SIGPIPE, SIG_IGN)
    // A parent may have started us with these blocked (the mask survives exec); unblock them.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }
}
