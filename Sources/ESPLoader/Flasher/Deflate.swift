import CZlib

/// zlib with header and Adler-32 at level 9, as esptool's `zlib.compress(data, 9)` (§6.1): the loaders
/// inflate with `TINFL_FLAG_PARSE_ZLIB_HEADER`.
public enum Deflate {
  public static func compress(_ input: [UInt8], level: Int32 = 9) throws(LoaderError) -> [UInt8] {
    var capacity = compressBound(uLong(input.count))
    var output = [UInt8](repeating: 0, count: Int(capacity))
    let code = input.withUnsafeBufferPointer { src in
      output.withUnsafeMutableBufferPointer { dst in
        compress2(dst.baseAddress, &capacity, src.baseAddress, uLong(src.count), level)
      }
    }
    guard code == Z_OK else { throw .compressionFailed(code: code) }
    output.removeSubrange(Int(capacity)...)
    return output
  }

  /// Inflates a whole zlib stream (tests and checks); nil when corrupt, truncated or over `limit` bytes.
  public static func decompress(_ input: [UInt8], limit: Int = 1 << 28) -> [UInt8]? {
    let inflater = InflateCounter()
    var out: [UInt8] = []
    guard inflater.feed(input, into: &out, limit: limit) != nil, inflater.finished else { return nil }
    return out
  }
}

/// Inflates a zlib stream block by block to learn how many bytes each compressed block expands to.
/// esptool times each compressed block by the erase+write of its *uncompressed* size (§5.4 notes).
public final class InflateCounter {
  private var stream = z_stream()
  private let ready: Bool
  public private(set) var finished = false

  public init() {
    ready = inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
  }

  deinit { if ready { inflateEnd(&stream) } }

  /// Bytes of output this block produces; nil on a corrupt stream.
  public func count(_ block: [UInt8]) -> Int? {
    var discard: [UInt8]? = nil
    return run(block, sink: &discard, limit: .max)
  }

  func feed(_ block: [UInt8], into out: inout [UInt8], limit: Int) -> Int? {
    var sink: [UInt8]? = out
    defer { out = sink ?? [] }
    return run(block, sink: &sink, limit: limit)
  }

  private func run(_ block: [UInt8], sink: inout [UInt8]?, limit: Int) -> Int? {
    guard ready else { return nil }
    if finished { return block.isEmpty ? 0 : nil }
    var produced = 0
    var scratch = [UInt8](repeating: 0, count: 0x10000)
    var input = block
    let result: Int? = input.withUnsafeMutableBufferPointer { src -> Int? in
      stream.next_in = src.baseAddress
      stream.avail_in = uInt(src.count)
      while true {
        let (code, made, outputFull) = scratch.withUnsafeMutableBufferPointer { dst -> (Int32, Int, Bool) in
          stream.next_out = dst.baseAddress
          stream.avail_out = uInt(dst.count)
          let code = inflate(&stream, Z_NO_FLUSH)
          return (code, dst.count - Int(stream.avail_out), stream.avail_out == 0)
        }
        produced += made
        if sink != nil { sink!.append(contentsOf: scratch[0..<made]) }
        if produced > limit { return nil }
        switch code {
        case Z_STREAM_END: finished = true; return produced
        case Z_OK: if stream.avail_in == 0 && !outputFull { return produced }
        case Z_BUF_ERROR: return produced
        default: return nil
        }
      }
    }
    stream.next_in = nil
    stream.next_out = nil
    return result
  }
}
