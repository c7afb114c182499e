/// Space figures for `info` (what littlefs' `lfs_fs_size` counts: both blocks of every pair on the tail
/// chain plus every block of every file's skip-list).
public struct LittleFSUsage: Equatable, Sendable {
  public var blockSize: Int
  public var blockCount: Int
  public var usedBlocks: Int
  public var freeBlocks: Int { max(0, blockCount - usedBlocks) }
  public var files: Int
  public var directories: Int
  /// Bytes of file content stored.
  public var contentBytes: Int
  /// The largest single new file that fits the free blocks (a CTZ file needs whole blocks, §3.9).
  public var largestNewFile: Int { LittleFSUsage.capacity(blocks: freeBlocks, blockSize: blockSize) }

  /// Bytes a CTZ skip-list of `blocks` blocks holds: n·B − 4·(2(n−1) − popcount(n−1)) (§3.9).
  public static func capacity(blocks n: Int, blockSize: Int) -> Int {
    guard n > 0 else { return 0 }
    return n * blockSize - 4 * (2 * (n - 1) - (n - 1).nonzeroBitCount)
  }

  /// Blocks a file of `size` bytes occupies when stored out of line.
  public static func blocksNeeded(size: Int, blockSize: Int) -> Int {
    size == 0 ? 0 : LFSCTZ.index(of: size - 1, blockSize: blockSize).index + 1
  }
}

extension LittleFSImage {
  /// Blocks in use by metadata and files, and what is left (§3.9, §6.3).
  public func usage() throws(LittleFSReadError) -> LittleFSUsage {
    var used = 2 * chain.count
    var files = 0, dirs = 0, content = 0
    for pair in chain {
      let (_, state) = try fetchPair(pair, path: "metadata chain")
      for entry in state.entries {
        if entry.nameTag?.type == LFSType.dir { dirs += 1 }
        if entry.nameTag?.type == LFSType.reg { files += 1 }
        guard entry.nameTag?.type == LFSType.reg, let tag = entry.structTag else { continue }
        if tag.type == LFSType.inlineStruct { content += entry.structData.count }
        if tag.type == LFSType.ctzStruct, entry.structData.count >= 8 {
          let size = Int(LE.u32(entry.structData, 4))
          content += size
          used += LittleFSUsage.blocksNeeded(size: size, blockSize: blockSize)
        }
      }
    }
    return LittleFSUsage(blockSize: blockSize, blockCount: blockCount, usedBlocks: used, files: files,
                         directories: dirs, contentBytes: content)
  }
}
