// PLACEHOLDER: the simulator helper implements this. Contract used by the CLI's port opener.
import ESPLoader

/// Opens `sim://CHIP?flash=4MB&image=PATH` as an in-process transport to a virtual board.
public enum VirtualBoardURL {
  public static func open(_ url: String) throws(TransportError) -> any Transport {
    throw .invalidAddress(url, reason: "the virtual board is not built yet")
  }
}
