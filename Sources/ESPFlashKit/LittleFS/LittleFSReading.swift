import LittleFS

extension SafeExtraction {
  /// Every file of a LittleFS image below `directory`, with the same path checks as for SPIFFS: nothing
  /// outside the folder, no `..`, existing files kept unless `force`.
  @discardableResult
  public static func extract(_ image: LittleFSImage, into directory: String, force: Bool,
                             events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> Summary {
    let files = try image.list().filter { $0.kind == .file }
    return try extract(files.map { entry in Source(name: entry.pathBytes) { try image.contents(of: entry) } },
                       into: directory, force: force, events: events)
  }
}

/// Opening bytes as LittleFS, after the detector said so.
public enum LittleFSMount {
  /// Mounts `bytes` (block size from the superblock unless `blockSize` is given) and notes what was found.
  public static func mount(_ bytes: [UInt8], blockSize: Int? = nil,
                           events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> LittleFSImage {
    let image = try LittleFSImage(bytes: bytes, blockSize: blockSize)
    let sb = image.superblock
    events(.note("file system: LittleFS (disk version \(sb.diskVersion), \(sb.blockCount) blocks of \(sb.blockSize), "
      + "name_max \(sb.nameMax))"))
    if bytes.count > sb.blockCount * sb.blockSize {
      events(.note("note: the image has \(bytes.count) bytes, the file system uses the first \(sb.blockCount * sb.blockSize)"))
    }
    return image
  }
}
