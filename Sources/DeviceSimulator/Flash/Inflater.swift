import CZlib

/// Streaming zlib inflate (header and Adler-32 checked), fed one FLASH_DEFL_DATA block at a time, as the
/// ROM and stubs do with tinfl and `TINFL_FLAG_PARSE_ZLIB_HEADER` (`rom-protocol.md` §6.1).
final class Inflater {
  enum Failure: Error { case corrupt(code: Int32) }

  private var stream = z_stream()
  private var initialised = false
  /// True once the zlib trailer has been read; more input after that is an error.
  private(set) var finished = false

  init() {
    let status = inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    initialised = status == Z_OK
  }

  deinit {
    if initialised { inflateEnd(&stream) }
  }

  /// Inflates `input` and returns all output it produces. Throws on a corrupt stream or data after the end.
  func inflate(_ input: [UInt8]) throws(Failure) -> [UInt8] {
    guard initialised else { throw .corrupt(code: Z_MEM_ERROR) }
    if finished {
      if input.isEmpty { return [] }
      throw .corrupt(code: Z_DATA_ERROR)
    }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 0x8000)
    var status: Int32 = Z_OK
    var input = input
    input.withUnsafeMutableBufferPointer { inBuffer in
      stream.next_in = inBuffer.baseAddress
      stream.avail_in = UInt32(inBuffer.count)
      repeat {
        chunk.withUnsafeMutableBufferPointer { outBuffer in
          stream.next_out = outBuffer.baseAddress
          stream.avail_out = UInt32(outBuffer.count)
          status = CZlib.inflate(&stream, Z_NO_FLUSH)
          let produced = outBuffer.count - Int(stream.avail_out)
          output.append(contentsOf: outBuffer[0..<produced])
        }
      } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
      stream.next_in = nil
    }
    switch status {
    case Z_STREAM_END:
      finished = true
      if stream.avail_in > 0 { throw .corrupt(code: Z_DATA_ERROR) }
    case Z_OK, Z_BUF_ERROR:
      break
    default:
      throw .corrupt(code: status)
    }
    return output
  }
}
