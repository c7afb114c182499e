@testable import ESPFlashCLI
@testable import ESPFlashKit
import LittleFS
import SPIFFS

/// The LittleFS errors' rows of the error table.
extension ErrorTableTests {
  static let littlefsRows: [Row] = [
    Row(error: LittleFSImageDoesNotFit(path: "/big.bin", contentBytes: 200_000, layout: LittleFSLayout(preset: preset),
                                       fits: SPIFFSLayoutPresets.named("4M2M")),
        status: .dataError, message: "do not fit LittleFS 4M1M (125 blocks of 8192): out of blocks while adding /big.bin",
        hint: "--layout 4M2M"),
    Row(error: UnsupportedFileSystem(found: .fat), status: .dataError, message: "FAT file system (ESP32 FFat): not supported yet",
        hint: "reads SPIFFS and LittleFS"),
    Row(error: UnsupportedFileSystem(found: .erased), status: .dataError, message: "erased flash", hint: "flash an image first"),
    Row(error: LittleFSReadError.corruptPair(block0: 0, block1: 1, path: "/"), status: .dataError,
        message: "corrupted metadata pair {0, 1}", hint: nil),
    Row(error: LittleFSReadError.notFound(path: "/x"), status: .noInput, message: "/x: no such file", hint: "fs ls"),
    Row(error: LittleFSBuildError.nameTooLong(path: "/d/n", component: "n", bytes: 33, limit: 32), status: .dataError,
        message: "is 33 bytes, this configuration allows 32", hint: "31 bytes"),
    Row(error: LittleFSBuildError.pathTooLong(path: "/p", bytes: 40, limit: 32), status: .dataError,
        message: "legacy ESP32 mklittlefs allows 32", hint: "--littlefs-tool esp32"),
  ]
}
