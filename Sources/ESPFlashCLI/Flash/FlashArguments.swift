import ArgumentParser
import ESPFlashKit
import ESPLoader

/// `ADDR FILE [ADDR FILE …]` as esptool takes them, read into memory and checked for overlaps.
enum AddressedFile {
  static func parse(_ words: [String]) throws -> [FlashRegionInput] {
    guard !words.isEmpty, words.count % 2 == 0 else {
      throw CLIError("expected ADDRESS FILE pairs, got \(words.count) argument\(words.count == 1 ? "" : "s")",
                     hint: "e.g. write-flash 0x300000 data.spiffs.bin", status: .usage)
    }
    var pairs: [(address: UInt32, path: String)] = []
    for i in stride(from: 0, to: words.count, by: 2) {
      guard let address = ByteSize.parse(words[i]), let a32 = UInt32(exactly: address) else {
        throw CLIError("'\(words[i])' is not an address", hint: "use hex (0x300000) or decimal (3145728)", status: .usage)
      }
      pairs.append((a32, words[i + 1]))
    }
    return try FlashRegionInput.load(pairs)
  }
}

enum FlashModeChoice: String, SpelledChoice {
  case keep, qio, qout, dio, dout
  var value: FlashMode? { FlashMode(rawValue: rawValue) }
}

/// `--flash-freq`: every frequency some chip's header can declare; whether this chip can is checked when
/// the header is patched (`ChipDescriptor.flashFrequencyCodes`).
enum FlashFreqChoice: String, SpelledChoice {
  case keep, f80m = "80m", f60m = "60m", f48m = "48m", f40m = "40m", f30m = "30m", f26m = "26m", f24m = "24m",
       f20m = "20m", f16m = "16m", f15m = "15m", f12m = "12m"
  var value: FlashFrequency? { FlashFrequency(rawValue: rawValue) }
}

/// `--flash-size keep|detect|SIZE` (SIZE like 4MB, 1MB, 512KB).
struct FlashSizeChoice: ExpressibleByArgument, CustomStringConvertible {
  var description: String {
    switch value {
    case .keep: "keep"
    case .detect: "detect"
    case .bytes(let b): b >= 1 << 20 ? "\(b >> 20)MB" : "\(b >> 10)KB"
    }
  }
  var value: FlashSizeSetting
  init(_ value: FlashSizeSetting) { self.value = value }
  init?(argument: String) {
    switch argument.lowercased() {
    case "keep": value = .keep
    case "detect": value = .detect
    default:
      guard let bytes = ByteSize.parse(argument), bytes > 0 else { return nil }
      value = .bytes(bytes)
    }
  }
  static var allValueStrings: [String] { ["keep", "detect", "256KB", "512KB", "1MB", "2MB", "4MB", "8MB", "16MB"] }
}

/// The image-header options of write-flash (§6.2).
struct FlashParameterOptions: ParsableArguments {
  @Option(name: [.customLong("flash-mode"), .customShort("m")], help: "Flash mode written into a bootloader image header.")
  var flashMode: FlashModeChoice = .keep

  @Option(name: [.customLong("flash-freq")], help: "Flash frequency written into the header; the chip decides which are valid (ESP32-C2: 60m/30m/20m/15m, ESP32-H2: 48m/24m/16m/12m, ESP32-C6: 80m/40m/20m).")
  var flashFreq: FlashFreqChoice = .keep

  @Option(name: [.customLong("flash-size")], help: "Flash size for the header; a size (4MB) also tells the loader the flash geometry.")
  var flashSize: FlashSizeChoice = FlashSizeChoice(.keep)
}
