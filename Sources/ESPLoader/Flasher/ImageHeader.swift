/// `--flash-mode`, the header byte 2 value (§6.2).
public enum FlashMode: String, CaseIterable, Sendable {
  case qio, qout, dio, dout
  public var code: UInt8 {
    switch self { case .qio: 0; case .qout: 1; case .dio: 2; case .dout: 3 }
  }
}

/// `--flash-freq`, the low nibble of header byte 3 (§6.2).
public enum FlashFrequency: String, CaseIterable, Sendable {
  case f40m = "40m", f26m = "26m", f20m = "20m", f80m = "80m"
  public var code: UInt8 {
    switch self { case .f40m: 0x0; case .f26m: 0x1; case .f20m: 0x2; case .f80m: 0xF }
  }
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
  /// The size nibble codes, per chip family (§6.2 table).
  public static func sizeCode(_ size: Int, chip: Chip) -> UInt8? {
    let mb = 1 << 20
    if chip == .esp8266 {
      switch size {
      case 512 * 1024: return 0x00
      case 256 * 1024: return 0x10
      case mb: return 0x20
      case 2 * mb: return 0x30
      case 4 * mb: return 0x40
      case 8 * mb: return 0x80
      case 16 * mb: return 0x90
      default: return nil
      }
    }
    switch size {
    case mb: return 0x00
    case 2 * mb: return 0x10
    case 4 * mb: return 0x20
    case 8 * mb: return 0x30
    case 16 * mb: return 0x40
    case 32 * mb: return 0x50
    case 64 * mb: return 0x60
    case 128 * mb: return 0x70
    default: return nil
    }
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
    let freqNibble = frequency?.code ?? (out[3] & 0x0F)
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
