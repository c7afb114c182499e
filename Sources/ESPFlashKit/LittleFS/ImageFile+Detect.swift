import LittleFS
import SPIFFS

extension ImageFile {
  /// An image file opened as whichever file system its bytes hold.
  public enum AnyOpened {
    case spiffs(Opened)
    case littlefs(LittleFSImage)
  }

  /// Reads `path` like `open`, then tells LittleFS, FAT, erased flash and SPIFFS apart from the bytes
  /// (littlefs-format.md §8.3) and says which it found; FAT and erased flash are refused, named.
  public static func openAny(_ path: String, preset: SPIFFSLayoutPreset?, offset: Int?, narrowing: Narrowing = Narrowing(),
                             events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> AnyOpened {
    let bytes = try read(path, preset: preset, offset: offset, events: events)
    if LittleFSImage.detectBlockSize(bytes) != nil { return .littlefs(try LittleFSMount.mount(bytes, events: events)) }
    if FileSystemDetector.isFAT(bytes) { throw UnsupportedFileSystem(found: .fat) }
    if bytes.allSatisfy({ $0 == 0xFF }) { throw UnsupportedFileSystem(found: .erased) }
    let opened = try open(bytes: bytes, preset: preset, narrowing: narrowing, events: events)
    events(.note("file system: SPIFFS"))
    return .spiffs(opened)
  }
}
