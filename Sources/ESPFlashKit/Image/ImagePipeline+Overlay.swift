/// `Options.overlayDir`: one folder's files laid over the data folder's (one device's files when provisioning).
extension ImagePipeline {
  struct Overlay {
    var files: [FolderFile] = []
    var names: Set<[UInt8]> = []
    var replaced: [String] = []
  }

  /// Same-path files replace the common ones where they stood; new ones are appended in walk order.
  static func lay(_ folder: String, over common: [FolderFile], includeHidden: Bool,
                  note: (String) -> Void) throws(FolderError) -> Overlay {
    let walk = try DataFolder.walk(folder, includeHidden: includeHidden)
    for skipped in walk.skipped { note("skipping \(skipped.path): \(skipped.reason)") }
    var overlay = Overlay(files: common)
    var position: [[UInt8]: Int] = [:]
    for (index, file) in common.enumerated() { position[file.spiffsName] = index }
    for file in walk.files {
      overlay.names.insert(file.spiffsName)
      if let index = position[file.spiffsName] {
        overlay.files[index] = file
        overlay.replaced.append(file.displayName)
        note("[SPIFFS] \(file.displayName) replaced by \(file.hostPath)")
      } else {
        overlay.files.append(file)
      }
    }
    return overlay
  }
}
