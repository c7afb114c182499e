/// A data folder's image written to a board's partition (`fs upload`).
public struct UploadResult: Codable, Sendable {
  public struct File: Codable, Sendable, Equatable {
    public var name: String
    public var size: Int
  }

  public var data: String
  public var layout: String
  public var platform: String
  public var format: String
  /// `0x300000`.
  public var address: String
  /// Bytes written: the whole partition.
  public var size: Int
  public var chip: String
  public var loader: String
  public var flashSize: Int
  public var files: [File]
  public var dataBytes: Int
  /// Where the image was also saved, if anywhere (set by the caller).
  public var output: String?
  public var compressedSize: Int?
  /// True only when the board's MD5 of the partition matched the image.
  public var verified: Bool
  /// The image's MD5 (and, when verified, the flash's).
  public var md5: String
  public var notVerifiedReason: String?
  public var seconds: Double
  public var wire: WireStatistics?
  /// Image bytes sent as data; the rest was erased without data or already on the board.
  public var sentBytes: Int?
  /// Flash bytes erased without sending them (blank in the image).
  public var erasedWithoutData: Int?
  /// Image bytes the board already held (MD5 compare), left alone.
  public var unchangedBytes: Int?
  /// SPI_FLASH_MD5 queries the comparison cost.
  public var md5Queries: Int?
  /// With firmware: each region written before the file system (`fs upload --firmware`).
  public var firmware: [FirmwareWrite]? = nil
}

/// One firmware region written with the file system.
public struct FirmwareWrite: Codable, Sendable {
  public var role: String
  public var path: String?
  /// `0x10000`.
  public var address: String
  public var size: Int
  public var verified: Bool
}

/// A partition read back from a board (`fs download`). The bytes travel with it but are not encoded.
public struct DownloadResult: Codable, Sendable {
  public var layout: String
  public var platform: String
  /// `0x300000`.
  public var address: String
  public var size: Int
  public var chip: String
  public var md5: String
  /// Where the partition was saved, if anywhere (set by the caller).
  public var output: String?
  /// The listing, when one was asked for.
  public var files: [ImageFileEntry]?
  public var extracted: SafeExtraction.Summary?
  public var wire: WireStatistics?
  /// The partition as read.
  public var bytes: [UInt8] = []
  /// Where it was read from (the board's own partition when no layout was given).
  public var target: PartitionTarget? = nil

  enum CodingKeys: String, CodingKey {
    case layout, platform, address, size, chip, md5, output, files, extracted, wire
  }
}
