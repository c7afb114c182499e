import ArgumentParser
import ESPFlashKit

/// Sizes and addresses on the command line: `0x300000`, `3145728`, `1M`, `4MB`, `64K`, `64KiB`.
extension ByteSize: ExpressibleByArgument {
  public init?(argument: String) {
    guard let value = ByteSize.parse(argument) else { return nil }
    self.init(value)
  }

  public static var defaultCompletionKind: CompletionKind { .default }
}
