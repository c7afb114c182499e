import Credentials
import SPIFFS

/// The files do not fit the layout; nothing was built or written.
public struct ImageDoesNotFit: Error, Sendable, CustomStringConvertible {
  public var neededBytes: Int
  public var capacityBytes: Int
  /// The file being added when the builder ran out of room (nil when refused before building).
  public var failedAt: String?
  public var preset: SPIFFSLayoutPreset
  public var format: SPIFFSImageFormat

  public var description: String {
    "the files do not fit \(preset.isCustom ? "the image" : preset.name): they need about \(neededBytes) bytes "
      + "(\(ByteSize.human(neededBytes))), the image holds \(capacityBytes) (\(ByteSize.human(capacityBytes)))"
      + (failedAt.map { "; full while adding \($0)" } ?? "")
  }

  /// The smallest preset that would hold the files: one for the same flash chip if any, else of the platform.
  public var largerPreset: SPIFFSLayoutPreset? {
    let sameChip = SPIFFSLayoutPresets.all.filter {
      $0.flashSize != nil && $0.flashSize == preset.flashSize && !$0.name.contains("@")
        && $0.sameFamily(as: preset.platform) && $0.imageSize >= neededBytes
    }.min { $0.imageSize < $1.imageSize }
    return sameChip ?? SPIFFSLayoutPresets.smallestHolding(bytes: neededBytes, platform: preset.platform)
  }
}

/// The credential check found errors; a `.credentialsChecked` event with the findings came first.
public struct CredentialCheckFailed: Error, Sendable, CustomStringConvertible {
  public var errors: Int
  public var warnings: Int
  public var target: TargetPlatform

  public var description: String {
    "the credential check found \(errors) error(s) for \(target.rawValue) (listed above); no image was written"
  }
}

/// `--rename` names files the data folder does not hold.
public struct UnknownRenameSource: Error, Sendable, CustomStringConvertible {
  public var names: [String]
  public var dataDir: String

  public var description: String {
    "--rename names \(names.count == 1 ? "a file" : "files") not in \(dataDir): " + names.prefix(10).joined(separator: ", ")
  }
}
