// ESPFlashKit in a program of its own: build a data folder into a SPIFFS image, upload it to a board, read
// the partition back and list it. Only the library product is imported; nothing is printed by the library.
//
//   swift run espflash-kit-example [DATA_DIR] [PORT]
//
// DATA_DIR defaults to examples/aws-iot/data. PORT defaults to a virtual ESP32 (sim://esp32) whose flash is
// kept in a temporary file between the upload and the download; pass /dev/ttyUSB0 for a real board.
import ESPFlashKit
import Foundation

let arguments = CommandLine.arguments.dropFirst()
let dataDir = arguments.first ?? "examples/aws-iot/data"
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("espflash-kit-example-\(getpid())")
defer { try? FileManager.default.removeItem(at: scratch) }

do {
  try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  let port = arguments.dropFirst().first ?? "sim://esp32?flash=4MB&image=\(scratch.path)/board.bin"
  let preset = try LayoutPresets.named("esp32-default")

  // 1. Folder → image. Notes (skipped files, credential findings) arrive as events; this program counts them.
  var notes = 0
  let built = try ImagePipeline(options: .init(dataDir: dataDir, preset: preset), events: { event in
    if case .note = event { notes += 1 }
  }).run()
  print("built \(built.files.count) files, \(built.dataBytes) bytes, into a \(built.image.count)-byte image")

  // 2. Image → board: the board is checked (chip family, flash size) before anything is written.
  let target = try PartitionTarget.resolve(preset: preset, offset: nil)
  let connection = ConnectionSettings(port: port, stub: .auto)
  let upload = try SPIFFSTransfer.upload(built, dataDir: dataDir, to: target, connection: connection,
                                         events: WorkflowEventsDefaults.silent)
  print("uploaded to \(upload.chip) at \(upload.address): " + (upload.verified ? "verified, MD5 \(upload.md5)"
                                                                             : "not verified (\(upload.notVerifiedReason ?? "?"))"))

  // 3. Board → bytes → listing.
  let download = try SPIFFSTransfer.download(target, connection: connection, events: WorkflowEventsDefaults.silent)
  for file in try SPIFFSTransfer.list(download.bytes, preset: preset) {
    print(String(repeating: " ", count: max(0, 7 - String(file.size).count)) + "\(file.size)  \(file.name)")
  }
  guard download.md5 == upload.md5 else {
    print("read back: MD5 \(download.md5) differs from the image's \(upload.md5)")
    exit(1)
  }
  print("read back: identical (MD5 \(download.md5)); \(notes) notes from the build")
  // The results are Codable: a program can log or send them as JSON.
  print(String(decoding: try ResultJSON.encode(upload.files), as: UTF8.self), terminator: "")
} catch {
  print("error: \(error)")
  exit(1)
}
