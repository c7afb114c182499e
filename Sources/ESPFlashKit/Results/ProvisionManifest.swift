/// `<OUT_DIR>/manifest.json`: what was built for which device, and how to flash it.
public struct ProvisionManifest: Codable, Sendable {
  public struct Device: Codable, Sendable {
    public struct File: Codable, Sendable {
      /// The SPIFFS name as stored (after DER conversion / renames).
      public var name: String
      public var size: Int
      public var sha256: String
      /// The device folder's file it came from, relative to that folder.
      public var source: String
      /// True when it replaced a file of the data folder with the same path.
      public var replaces: Bool
    }
    public var thing: String
    /// File name inside the output folder.
    public var image: String
    public var sha256: String
    public var fileCount: Int
    public var dataBytes: Int
    public var files: [File]
    /// nil for a custom layout without a flash address.
    public var writeFlash: String?
  }
  public var data: String
  public var layout: String
  public var platform: String
  public var format: String
  public var flashOffset: Int?
  public var imageSize: Int
  public var blockSize: Int
  public var pageSize: Int
  public var devices: [Device]
}
