import ESPLoader
import Foundation
import SPIFFS

/// `fs upload` for a sketch: the file system image and, optionally, the sketch's firmware, in one connection.
/// Everything that will be written is checked against the board first — chip, flash size, its partition table
/// (ESP32; or the firmware's own table when that is written too), overlaps, the app partition's size — and
/// each region is verified where the loader can.
public enum SketchUpload {
  /// `planned`: the partition and its image when the layout is known before connecting; nil lets the
  /// board's partition table decide, and `build` makes the image for it inside the session.
  public static func run(planned: (target: PartitionTarget, built: ImagePipeline.Output)?, dataDir: String,
                         build: (PartitionTarget) throws -> ImagePipeline.Output, firmware: FirmwareSet?,
                         tableOffset: Int, force: Bool, skipUnchanged: Bool = true, connection: ConnectionSettings,
                         events: @escaping WorkflowEvents) throws -> UploadResult {
    var flashSize = 0
    // A known layout is checked (chip family, flash size) before the stub upload and the baud change.
    let check = { (flasher: Flasher) throws in
      if let planned { flashSize = try planned.target.checkBoard(flasher, events: events) }
    }
    var (result, wire) = try DeviceSession.with(connection, events: events, check: check) { session in
      (try upload(planned: planned, flashSize: flashSize, dataDir: dataDir, build: build, firmware: firmware,
                  tableOffset: tableOffset, force: force, skipUnchanged: skipUnchanged, session: session,
                  events: events), session.statistics)
    }
    result.wire = wire
    return result
  }

  static func upload(planned: (target: PartitionTarget, built: ImagePipeline.Output)?, flashSize known: Int,
                     dataDir: String, build: (PartitionTarget) throws -> ImagePipeline.Output, firmware: FirmwareSet?,
                     tableOffset: Int, force: Bool, skipUnchanged: Bool = true, session: DeviceSession,
                     events: @escaping WorkflowEvents) throws -> UploadResult {
    let flasher = session.flasher
    let flashSize = known > 0 ? known : try flasher.detectFlashSize()
    let firmwareTable = try firmware?.partitionTable()
    let target: PartitionTarget, built: ImagePipeline.Output
    if let planned {
      (target, built) = planned
    } else {
      guard flasher.chip != .esp8266 else {
        throw ProjectError("an ESP8266 has no partition table to take the file system's place from",
                           hint: "pass --layout (the sketch's Flash Size menu, e.g. 4M2M) or --fqbn", kind: .usage)
      }
      if let partition = firmwareTable?.mountedSPIFFSPartition {
        target = BoardFileSystem.target(for: partition, chip: flasher.chip)
      } else {
        target = try BoardFileSystem.locate(flasher, flashSize: flashSize, tableOffset: tableOffset)
      }
      events(.note("No layout given: using the board's file system partition, \(target.describe)."))
      try target.checkPlatform(chip: flasher.chip, flashSize: flashSize)
      try target.checkFits(flashSize: flashSize, chip: flasher.chip, events: events)
      built = try build(target)
    }

    // The table that will be on the board when this job is done: the firmware's, else the board's own.
    var table: PartitionTable?
    if flasher.chip != .esp8266 {
      table = try firmwareTable ?? BoardFileSystem.readTable(flasher, at: tableOffset)
      let whose = firmwareTable != nil ? "the firmware's partition table" : "the board's partition table"
      if let table {
        if let match = BoardFileSystem.matches(target, table) {
          events(.note("Checked against \(whose): partition '\(match.name)' at \(Hex.address(match.offset))."))
        } else if force {
          events(.note("warning: \(whose) has no spiffs partition at \(Hex.address(target.offset)); writing anyway (--force)."))
        } else {
          try BoardFileSystem.checkWrite(target, table: table, tableOffset: tableOffset)
        }
      } else {
        events(.note("No partition table at \(Hex.address(tableOffset)) (blank flash?): the layout could not be "
                     + "checked against the board."))
      }
    }
    let regions = try firmware?.regions(chip: flasher.chip, table: table, tableOffset: tableOffset, fileSystem: target) ?? []
    try FirmwareSet.checkLayout(regions + [FlashRegion(role: "file system", path: nil, offset: target.offset,
                                                       bytes: built.image)], flashSize: flashSize)

    var written: [FirmwareWrite] = []
    for region in regions {
      let progress = TransferReporter("Writing the \(region.role) at \(Hex.address(region.offset))",
                                      total: region.bytes.count, events: events)
      let start = Date()
      let result: WriteResult
      do {
        defer { progress.finish() }
        result = try flasher.writeFlash(region.bytes, at: UInt32(region.offset), compress: true, progress: progress.handler)
      }
      events(.note("The \(region.role) (\(region.path ?? "-")): "
                   + FlashJobs.writtenLine(result, seconds: Date().timeIntervalSince(start)) + "."))
      var verified = false
      if case .verified = result.verification { verified = true }
      written.append(FirmwareWrite(role: region.role, path: region.path, address: Hex.json(region.offset),
                                   size: region.bytes.count, verified: verified))
    }
    var result = try SPIFFSTransfer.write(built, dataDir: dataDir, to: target, flashSize: flashSize,
                                          skipUnchanged: skipUnchanged, session: session, events: events)
    if firmware != nil { result.firmware = written }
    return result
  }
}
