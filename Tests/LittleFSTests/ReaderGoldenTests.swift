import LittleFS
import Testing

/// The reader against the real littlefs listings of all eight reference images (littlefs-format.md §4, §10).
@Suite struct ReaderGoldenTests {
  @Test(arguments: LittleFSFixtures.images)
  func listsEveryImageExactlyAsTheRealLittlefs(_ name: String) throws {
    let expected = try LittleFSFixtures.expected(name)
    #expect(expected.rows.count > 3)
    let image = try LittleFSImage(bytes: try LittleFSFixtures.bytes(name))
    let rows = try LittleFSFixtures.rows(image)
    #expect(rows.count == expected.rows.count)
    for (got, want) in zip(rows, expected.rows) { #expect(got == want) }
  }

  @Test(arguments: LittleFSFixtures.images)
  func superblockAndUsageMatchTheMountedValues(_ name: String) throws {
    let mounted = try LittleFSFixtures.expected(name).mounted
    let image = try LittleFSImage(bytes: try LittleFSFixtures.bytes(name))
    #expect(image.superblock.diskVersion == mounted["disk_version"])
    #expect("\(image.superblock.blockSize)" == mounted["block_size"])
    #expect("\(image.superblock.blockCount)" == mounted["block_count"])
    #expect("\(image.superblock.nameMax)" == mounted["name_max"])
    #expect("\(image.superblock.fileMax)" == mounted["file_max"])
    #expect("\(image.superblock.attrMax)" == mounted["attr_max"])
    #expect("\(try image.usage().usedBlocks)" == mounted["used_blocks"])
  }
}
