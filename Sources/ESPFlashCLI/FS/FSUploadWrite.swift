import ESPLoader

/// The write step of `fs upload`: a sparse write (`Flasher.writeSparse`) that announces itself when it will
/// take more than a few seconds. Moves to the workflow library with the rest of the upload flow.
enum FSUploadWrite {
  static func write(_ image: [UInt8], at offset: Int, flasher: Flasher, skipUnchanged: Bool,
                    progress: ProgressHandler?) throws -> SparseWriteResult {
    try flasher.writeSparse(image, at: UInt32(offset), options: SparseWriteOptions(skipUnchanged: skipUnchanged),
                            estimate: { estimate in
                              guard estimate.seconds >= TransferEstimate.worthSaying else { return }
                              DeviceSession.note("This will take \(estimate.message).")
                            },
                            progress: progress)
  }

  /// "Sent 201,728 of 1,024,000 bytes as data; 823,296 erased without data; 0 already on the board (3 MD5s)."
  static func describe(_ result: SparseWriteResult) -> String {
    var line = "Sent \(result.writtenBytes) of \(result.size) bytes as data"
    if let compressed = result.compressedBytes { line += " (\(compressed) compressed)" }
    line += ", erased \(result.eraseOnlyBytes) without sending them"
    if result.compareQueries > 0 {
      line += "; \(result.unchangedBytes) bytes were already on the board (\(result.compareQueries) MD5 queries)"
    }
    return line + "."
  }
}
