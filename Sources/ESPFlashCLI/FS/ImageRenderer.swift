import ESPFlashKit
import SPIFFS

/// The text every image-building command prints about an image (stderr notes) and the file listings
/// (stdout), shared by `fs build`, `fs upload`, `fs provision`, `fs ls` and `fs download` so they read alike.
enum ImageRenderer {
  /// The image parameters every building command prints first (`fs provision` prints only these, once).
  static func parameterNotes(dataDir: String, preset: SPIFFSLayoutPreset, format: SPIFFSImageFormat,
                             offset: Int?) -> [String] {
    let layout = preset.layout
    return [
      "[SPIFFS] data    : \(dataDir)",
      "[SPIFFS] layout  : \(preset.name) (\(preset.platform), \(format.rawValue) format)",
      "[SPIFFS] size    : \(layout.imageSize / 1024) KiB (\(layout.imageSize) bytes)",
      "[SPIFFS] page    : \(layout.pageSize)",
      "[SPIFFS] block   : \(layout.blockSize)",
      "[SPIFFS] offset  : " + (offset.map(Hex.address) ?? "n/a (custom layout; flash it at your partition's offset)"),
    ]
  }

  /// The `[SPIFFS] …` lines describing a built image. `offset` nil: a custom layout without a flash address;
  /// `image` nil: the image was not saved.
  static func summaryNotes(_ built: ImagePipeline.Output, dataDir: String, preset: SPIFFSLayoutPreset, offset: Int?,
                           image: String?) -> [String] {
    let result = built.result
    var lines = parameterNotes(dataDir: dataDir, preset: preset, format: result.format, offset: offset)
    if let image { lines.append("[SPIFFS] image   : \(image)") }
    var used = "[SPIFFS] used    : \(built.files.count) files, \(result.dataBytes) bytes in \(result.usedPages) pages"
    if result.deletedPages > 0 { used += " (+\(result.deletedPages) deleted)" }
    lines.append(used)
    if let usage = built.usage {
      lines.append("[SPIFFS] free    : \(usage.freeBytes) bytes (largest new file \(usage.largestNewFile) bytes)")
    }
    return lines
  }

  /// The listing as a table on stdout and the count on stderr.
  static func printTable(_ entries: [ImageFileEntry]) {
    let showTime = entries.contains { $0.mtime != nil }
    // One write for the whole table: a write per line is a system call per file (2,000 on a big image).
    var table = Console.pad("size", 9) + "  id      pages" + (showTime ? "  mtime               " : "") + "  name"
    table.reserveCapacity(entries.count * 48)
    for entry in entries {
      table += "\n" + Console.pad(String(entry.size), 9) + "  " + Hex.padded(entry.objectID, digits: 4)
        + Console.pad(String(entry.pages), 7)
      if showTime { table += "  " + Console.rightPad(entry.mtime ?? "-", 20) }
      table += "  " + SPIFFSName.escaped(entry.nameBytes)
    }
    Console.print(table)
    let total = entries.reduce(0) { $0 + $1.size }
    Console.note("\(entries.count) files, \(total) bytes")
  }
}
