import ESPLoader
import Foundation
import SPIFFS

extension FSUploadCommand {
  /// On the connected board: settle the partition (given, or the board's own), check everything that will be
  /// written against the board (chip, flash size, its partition table, overlaps, the app's partition), then
  /// write the firmware regions and the file system, each verified where the loader can.
  func upload(planned: (target: FSPartitionTarget, built: ImagePipeline.Output)?, dataDir: String,
              firmware: FirmwareSet?, _ session: DeviceSession) throws -> Outcome {
    let flasher = session.flasher
    let flashSize = try flasher.detectFlashSize()
    let tableOffset = partitionTableOffset.value
    let firmwareTable = try firmware?.partitionTable()
    let target: FSPartitionTarget, built: ImagePipeline.Output
    if let planned {
      (target, built) = planned
    } else {
      guard flasher.chip != .esp8266 else {
        throw CLIError("an ESP8266 has no partition table to take the file system's place from",
                       hint: "pass --layout (the sketch's Flash Size menu, e.g. 4M2M) or --fqbn", status: .usage)
      }
      if let partition = firmwareTable?.mountedSPIFFSPartition {
        target = BoardFileSystem.target(for: partition, chip: flasher.chip)
      } else {
        target = try BoardFileSystem.locate(flasher, flashSize: flashSize, tableOffset: tableOffset)
      }
      DeviceSession.note("No layout given: using the board's file system partition, \(target.describe).")
      built = try buildImage(dataDir, target: target)
    }
    try target.checkPlatform(chip: flasher.chip, flashSize: flashSize)
    try target.checkFits(flashSize: flashSize, chip: flasher.chip)

    // The table that will be on the board when this command is done: the firmware's, else the board's own.
    var table: PartitionTable?
    if flasher.chip != .esp8266 {
      table = try firmwareTable ?? BoardFileSystem.readTable(flasher, at: tableOffset)
      let whose = firmwareTable != nil ? "the firmware's partition table" : "the board's partition table"
      if let table {
        if let match = BoardFileSystem.matches(target, table) {
          DeviceSession.note("Checked against \(whose): partition '\(match.name)' at \(ByteSize.hex(match.offset)).")
        } else if force {
          DeviceSession.note("warning: \(whose) has no spiffs partition at \(ByteSize.hex(target.offset)); writing anyway (--force).")
        } else {
          try BoardFileSystem.checkWrite(target, table: table, tableOffset: tableOffset)
        }
      } else {
        DeviceSession.note("No partition table at \(ByteSize.hex(tableOffset)) (blank flash?): the layout could not be checked against the board.")
      }
    }
    let regions = try firmware?.regions(chip: flasher.chip, table: table, tableOffset: tableOffset, fileSystem: target) ?? []
    try FirmwareSet.checkLayout(regions + [FlashRegion(role: "file system", path: nil, offset: target.offset,
                                                       bytes: built.result.image)], flashSize: flashSize)

    var written: [(region: FlashRegion, result: WriteResult)] = []
    for region in regions {
      let result = try writeRegion(region.bytes, at: region.offset, label: region.role, flasher)
      DeviceSession.note("Wrote the \(region.role) (\(region.path ?? "-"), \(region.bytes.count) bytes) at "
                         + "\(ByteSize.hex(region.offset)); " + Self.verdict(result))
      written.append((region, result))
    }
    let fsStart = Date()
    // The whole partition is written, even for a compact image whose tail is unused: SPIFFS takes a page as
    // free only while its lookup entry is 0xFFFF and its bytes are 0xFF (spiffs-format.md §1.2), and
    // write-flash erases only the sectors it writes, so a shorter write would leave the previous file system's
    // pages in the tail. The 0xFF tail deflates to a few bytes per KiB wherever the loader inflates.
    let result = try writeRegion(built.result.image, at: target.offset, label: "file system", flasher)
    let outcome = Outcome(chip: flasher.chip, loader: flasher.loaderName, flashSize: flashSize, target: target,
                          built: built, result: result, firmware: written, seconds: Date().timeIntervalSince(fsStart),
                          wire: session.statsJSON)
    noteWrite(outcome, target: target)
    return outcome
  }

  private func writeRegion(_ bytes: [UInt8], at offset: Int, label: String, _ flasher: Flasher) throws -> WriteResult {
    let progress = ProgressReporter(label: "Writing \(label) at \(ByteSize.hex(offset))", total: bytes.count,
                                    enabled: !noProgress)
    defer { progress.finish() }
    return try flasher.writeFlash(bytes, at: UInt32(offset), compress: true, progress: progress.handler)
  }

  static func verdict(_ result: WriteResult) -> String {
    switch result.verification {
    case .verified(let md5): "verified, MD5 \(md5)."
    case .notVerified(let reason): "NOT verified: \(reason)."
    }
  }
}

extension Verification {
  var isVerified: Bool {
    if case .verified = self { return true }
    return false
  }
}

extension ProjectContext {
  /// The connection options with the project's port, baud and chip filled in where the command line left
  /// them open (an explicit option or ESPFLASH_PORT/ESPTOOL_PORT still wins over sketch.yaml and platformio.ini).
  func applying(to options: ConnectionOptions) -> ConnectionOptions {
    var options = options
    let environment = ProcessInfo.processInfo.environment
    let envPort = ["ESPFLASH_PORT", "ESPTOOL_PORT"].contains { !(environment[$0] ?? "").isEmpty }
    if options.port == nil, !envPort, let port { options.port = port; FSOutput.note("port \(port) (from the project)") }
    let envBaud = ["ESPFLASH_BAUD", "ESPTOOL_BAUD"].contains { !(environment[$0] ?? "").isEmpty }
    if options.baud == nil, !envBaud, let baud { options.baud = baud }
    if options.chip.chip == nil, let chip { options.chip = ChipChoice(chip: chip) }
    return options
  }
}
