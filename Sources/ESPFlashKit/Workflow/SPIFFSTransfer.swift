import ESPLoader
import Foundation
import SPIFFS

/// Putting a built image on a board's file system partition, and reading the partition back.
public enum SPIFFSTransfer {
  /// Connects, refuses a board the layout does not suit (before the stub upload or the baud change), writes
  /// the whole partition and verifies it by MD5 where the loader can.
  public static func upload(_ built: ImagePipeline.Output, dataDir: String, to target: PartitionTarget,
                            connection: ConnectionSettings, events: @escaping WorkflowEvents) throws -> UploadResult {
    var flashSize = 0
    let check = { (flasher: Flasher) throws in flashSize = try target.checkBoard(flasher, events: events) }
    var (result, wire) = try DeviceSession.with(connection, events: events, check: check) { session in
      (try write(built, dataDir: dataDir, to: target, flashSize: flashSize, session: session, events: events),
       session.statistics)
    }
    // The statistics of the finished session: taken again after the reset would change nothing but the time.
    result.wire = wire
    return result
  }

  static func write(_ built: ImagePipeline.Output, dataDir: String, to target: PartitionTarget, flashSize: Int,
                    session: DeviceSession, events: @escaping WorkflowEvents) throws -> UploadResult {
    let flasher = session.flasher
    let image = built.image
    // The whole partition is written, even for a compact image whose tail is unused. SPIFFS takes a page
    // for free only while its lookup entry is 0xFFFF and its bytes are 0xFF (spiffs-format.md §1.2: "free,
    // never written since the last erase"), and write-flash erases only the sectors it writes. Sending just
    // the used prefix would leave the previous file system's lookup entries and pages in the tail: the board
    // would mount a mix of old and new objects, or see corrupt blocks and format the partition. The 0xFF
    // tail costs little where the loader inflates (ESP32 ROMs, every stub: it deflates to a few bytes per
    // KiB); only the ESP8266 ROM sends it plain.
    let progress = TransferReporter("Writing \(Hex.address(target.offset))", total: image.count, events: events)
    let start = Date()
    let written: WriteResult
    do {
      defer { progress.finish() }
      written = try flasher.writeFlash(image, at: UInt32(target.offset), compress: true, progress: progress.handler)
    }
    let seconds = Date().timeIntervalSince(start)
    var result = UploadResult(
      data: dataDir, layout: target.preset.name, platform: target.preset.platform.rawValue,
      format: built.result.format.rawValue, address: Hex.json(target.offset), size: written.dataSize,
      chip: flasher.chip.rawValue, loader: flasher.loaderName, flashSize: flashSize,
      files: built.files.map { .init(name: $0.displayName, size: $0.size) }, dataBytes: built.result.dataBytes,
      output: nil, compressedSize: written.compressedSize, verified: false, md5: Flasher.md5Hex(image),
      notVerifiedReason: nil, seconds: (seconds * 1000).rounded() / 1000, wire: nil)
    if case .notVerified(let reason) = written.verification { result.notVerifiedReason = reason } else { result.verified = true }
    // Said before the reset and the statistics.
    events(.note(FlashJobs.writtenLine(written, seconds: seconds) + "."))
    if !result.verified, flasher.chip == .esp8266 {
      events(.note("To verify: install esptool (its flasher stub is found automatically) or pass --stub PATH; "
                   + "with the stub, `espflash-swift fs download` also reads the partition back."))
    }
    return result
  }

  /// Connects, makes the same checks as `upload`, and reads the whole partition.
  public static func download(_ target: PartitionTarget, connection: ConnectionSettings,
                              events: @escaping WorkflowEvents) throws -> DownloadResult {
    let check = { (flasher: Flasher) throws in _ = try target.checkBoard(flasher, events: events) }
    return try DeviceSession.with(connection, events: events, check: check) { session in
      let flasher = session.flasher
      let progress = TransferReporter("Reading \(Hex.address(target.offset))", total: target.size, events: events)
      defer { progress.finish() }
      // The ESP8266 ROM's refusal (LoaderError.unsupported) goes on as it is: it names the stub as the remedy.
      let data = try flasher.readFlash(offset: UInt32(target.offset), size: target.size, progress: progress.handler)
      progress.finish()  // ends the transfer before the note; the defer covers a failed read
      let md5 = Flasher.md5Hex(data)
      events(.note("Read \(data.count) bytes of \(target.describe) from the \(flasher.chip) (MD5 \(md5))."))
      return DownloadResult(layout: target.preset.name, platform: target.preset.platform.rawValue,
                            address: Hex.json(target.offset), size: data.count, chip: flasher.chip.rawValue, md5: md5,
                            wire: session.statistics, bytes: data)
    }
  }

  /// The files of a downloaded (or any) partition, mounted with the target's layout.
  public static func list(_ bytes: [UInt8], preset: SPIFFSLayoutPreset,
                          events: WorkflowEvents = WorkflowEventsDefaults.silent) throws -> [ImageFileEntry] {
    try ImageMount.mount(bytes, preset: preset, events: events).entries().map(ImageFileEntry.init)
  }
}
