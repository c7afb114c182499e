import LittleFS
import Testing
import TestSupport

/// The default (device) format: mounts on the platform's littlefs (disk 2.0, its name_max), erased space
/// 0xFF, the same bytes for the same content whatever the input order or file times, nothing dropped.
@Suite struct DeviceFormatTests {
  static func tree(_ seed: UInt64) -> [LittleFSInputFile] { RandomTree.make(seed: seed, blockSize: 8192, maxName: 31) }

  @Test func esp8266ImagesAreDisk20WithNameMax32AndErasedSpaceIsFF() throws {
    let builder = LittleFSBuilder(format: .device(.esp8266), blockSize: 8192, imageSize: 1_024_000)
    let bytes = try builder.build(Self.tree(11))
    let image = try LittleFSImage(bytes: bytes)
    #expect(image.superblock.diskVersion == "2.0")
    #expect(image.superblock.nameMax == 32)
    #expect(image.superblock.blockCount == 125)
    // Every block the file system does not use is still erased flash (a new pair's second block too, until
    // its first compaction), and no written block ends in mklittlefs' 0x00 erase fill.
    let used = try image.usage().usedBlocks
    let written = (0..<125).filter { b in !bytes[b * 8192..<(b + 1) * 8192].allSatisfy { $0 == 0xFF } }
    #expect(written.count > 0 && written.count <= used)
    for b in written { #expect(!bytes[(b + 1) * 8192 - 64..<(b + 1) * 8192].allSatisfy { $0 == 0x00 }, "block \(b)") }
  }

  @Test func esp32AndIDFTargetsWriteTheirNameMax() throws {
    for (target, nameMax) in [(LittleFSTarget.esp32, 255), (.espIDF, 64)] {
      let bytes = try LittleFSBuilder(format: .device(target), blockSize: 4096, imageSize: 0x160000).build(Self.tree(12))
      let image = try LittleFSImage(bytes: bytes)
      #expect(image.superblock.nameMax == nameMax)
      #expect(image.superblock.diskVersion == "2.0")
    }
  }

  @Test func sameContentGivesTheSameBytesWhateverTheOrderAndFileTimes() throws {
    let files = Self.tree(13)
    var shuffled = files
    var rng = SplitMix64(seed: 13)
    shuffled.shuffle(using: &rng)
    for i in shuffled.indices { shuffled[i].modificationTime = Int64(rng.next() % 2_000_000_000) }
    let builder = LittleFSBuilder(format: .device(.esp8266), blockSize: 8192, imageSize: 1_024_000, fileTimes: .none)
    #expect(try builder.build(files) == builder.build(shuffled))
    // A fixed time (SOURCE_DATE_EPOCH) is stored as 8-byte 't' and 'c' on every file and the root.
    let fixed = LittleFSBuilder(format: .device(.esp8266), blockSize: 8192, imageSize: 1_024_000, fileTimes: .fixed(1_700_000_000),
                                buildTime: 1_700_000_000)
    let image = try LittleFSImage(bytes: try fixed.build(shuffled))
    for entry in try image.list() where entry.kind != .directory {
      #expect(entry.time("t") == 1_700_000_000, "\(entry.path)")
      #expect(entry.attributes[UInt8(ascii: "t")]?.count == 8)
    }
    #expect(try fixed.build(files) == fixed.build(shuffled))
  }

  @Test func aTreeThatDoesNotFitIsRefusedNamingTheFile() throws {
    let big = (0..<40).map { LittleFSInputFile(path: "/f\($0).bin", contents: [UInt8](repeating: UInt8($0), count: 5000)) }
    let builder = LittleFSBuilder(format: .device(.esp8266), blockSize: 4096, imageSize: 131_072)
    let result = Result { () throws(LittleFSBuildError) -> [UInt8] in try builder.build(big) }
    guard case .failure(.doesNotFit(let path, let index, let count, _, _, _)) = result else {
      Issue.record("\(result)")
      return
    }
    #expect(count == 40)
    #expect(path == "/f\(index)" + ".bin" || path.hasPrefix("/f"))
  }

  @Test func namesLongerThanNameMaxAreRefused() throws {
    let long = String(repeating: "n", count: 33)
    let builder = LittleFSBuilder(format: .device(.esp8266), blockSize: 8192, imageSize: 1_024_000)
    let result = Result { () throws(LittleFSBuildError) -> [UInt8] in try builder.build([LittleFSInputFile(path: "/d/\(long)", contents: [1])]) }
    guard case .failure(.nameTooLong(_, let component, let bytes, let limit)) = result else { Issue.record("\(result)"); return }
    #expect(component == long && bytes == 33 && limit == 32)
    let legacy = LittleFSBuilder(format: .mklittlefs(.esp32Legacy), blockSize: 4096, imageSize: 131_072)
    let tooLongPath = Result { () throws(LittleFSBuildError) -> [UInt8] in
      try legacy.build([LittleFSInputFile(path: "/abcdefghij/klmnopqrstu/vwxyz0123.txt", contents: [1])])
    }
    guard case .failure(.pathTooLong(_, let n, 32)) = tooLongPath else { Issue.record("\(tooLongPath)"); return }
    #expect(n == 37)
  }
}
