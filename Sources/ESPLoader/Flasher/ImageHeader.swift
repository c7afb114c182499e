/// `--flash-mode`, the header byte 2 value (§6.2).
public enum FlashMode: String, CaseIterable, Sendable {
  case qio, qout, dio, dout
  public var code: UInt8 {
    switch self { case .qio: 0; case .qout: 1; case .dio: 2; case .dout: 3 }
  }
}

/// `--flash-freq`, the low nibble of header byte 3 (§6.2). The nibble depends on the chip: the same "80m"
/// is 0xF on an ESP32 and 0x0 on an ESP32-C6, and the C2 and H2 have frequencies of their own
/// (`ChipDescriptor.flashFrequencyCodes`).
public struct FlashFrequency: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: String
  public init?(rawValue: String) {
    guard Self.allNames.contains(rawValue) else { return nil }
    self.rawValue = rawValue
  }
  public var description: String { rawValue }

  public static let f80m = FlashFrequency(rawValue: "80m")!
  public static let f40m = FlashFrequency(rawValue: "40m")!
  public static let f26m = FlashFrequency(rawValue: "26m")!
  public static let f20m = FlashFrequency(rawValue: "20m")!

  /// Every name some supported chip accepts, fastest first.
  public static var allNames: [String] {
    var names: [String] = []
    for chip in Chip.allCases {
      for entry in chip.descriptor.flashFrequencyCodes where !names.contains(entry.name) { names.append(entry.name) }
    }
    return names.sorted { (Int($0.dropLast()) ?? 0) > (Int($1.dropLast()) ?? 0) }
  }

  /// The header nibble on `chip`, nil when its images cannot declare this frequency.
  public func code(for chip: Chip) -> UInt8? { chip.descriptor.flashFrequencyCode(rawValue) }
}

/// `--flash-size keep|detect|SIZE`.
public enum FlashSizeSetting: Sendable, Equatable {
  case keep
  case detect
  case bytes(Int)
}

/// Patches the flash mode/frequency/size bytes of a bootloader image the way esptool's
/// `_update_image_flash_params` does (§6.2).
public enum ImageHeader {
  /// The size nibble codes, per chip (§6.2 table, `ChipDescriptor.flashSizeCodes`).
  public static func sizeCode(_ size: Int, chip: Chip) -> UInt8? {
    chip.descriptor.flashSizeCode(bytes: size)
  }

  /// The patched image, or the input unchanged when esptool would not touch it: wrong address, all `keep`,
  /// or not an image (first byte ≠ 0xE9). `detectedSize` is used for `.detect`.
  public static func patch(_ image: [UInt8], address: UInt32, chip: Chip, mode: FlashMode?, frequency: FlashFrequency?,
                           size: FlashSizeSetting, detectedSize: Int?, warn: (String) -> Void = { _ in }) throws(LoaderError) -> [UInt8] {
    guard address == chip.bootloaderOffset, mode != nil || frequency != nil || size != .keep else { return image }
    let headerLength = chip == .esp8266 ? 8 : 24
    guard image.count >= headerLength, image[0] == 0xE9 else {
      if image.first == 0xE9 || address == chip.bootloaderOffset {
        warn("Image at \(hexAddress(address)) has no valid header; flash mode/frequency/size not changed.")
      }
      return image
    }
    var out = image
    if let mode { out[2] = mode.code }
    var sizeNibble = out[3] & 0xF0
    switch size {
    case .keep: break
    case .detect:
      let bytes = detectedSize ?? 4 << 20
      guard let code = sizeCode(bytes, chip: chip) else {
        throw .invalidRequest("detected flash size \(bytes) has no header code for \(chip)")
      }
      sizeNibble = code
    case .bytes(let bytes):
      guard let code = sizeCode(bytes, chip: chip) else {
        throw .invalidRequest("flash size \(bytes) bytes is not one \(chip) images can declare")
      }
      sizeNibble = code
    }
    var freqNibble = out[3] & 0x0F
    if let frequency {
      guard let code = frequency.code(for: chip) else {
        let known = chip.descriptor.flashFrequencyCodes.map(\.name).joined(separator: ", ")
        throw .invalidRequest("--flash-freq \(frequency) is not a frequency \(chip) images can declare (\(known))")
      }
      freqNibble = code
    }
    out[3] = sizeNibble | freqNibble
    if chip != .esp8266, out[23] == 1 {
      // hash_appended: the SHA-256 after the image covers the header, so it must be recomputed.
      guard let end = imageLength(out) , end + 32 <= out.count else {
        warn("Image at \(hexAddress(address)) says a SHA-256 is appended but its segments do not parse; hash not updated.")
        return out
      }
      let digest = SHA256Digest.hash(out[0..<end])
      out.replaceSubrange(end..<(end + 32), with: digest)
    }
    return out
  }

  /// Length of an ESP32-family image up to its checksum byte: header, segments, padding to 16 (§6.3).
  static func imageLength(_ image: [UInt8]) -> Int? {
    guard image.count >= 24 else { return nil }
    var offset = 24
    for _ in 0..<Int(image[1]) {
      guard offset + 8 <= image.count else { return nil }
      let length = Int(image[offset + 4]) | Int(image[offset + 5]) << 8 | Int(image[offset + 6]) << 16
        | Int(image[offset + 7]) << 24
      offset += 8 + length
      guard offset <= image.count else { return nil }
    }
    // One checksum byte, placed so that the image ends on a 16-byte boundary.
    offset += 16 - (offset % 16)
    return offset <= image.count ? offset : nil
  }
}
