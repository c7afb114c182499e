import CZlib

/// zlib `compress2` level 9, as esptool does, for building compressed test writes.
enum SimZlib {
  static func compress(_ input: [UInt8]) -> [UInt8]? {
    var size = compressBound(UInt(input.count))
    var output = [UInt8](repeating: 0, count: Int(size))
    let status = output.withUnsafeMutableBufferPointer { out in
      input.withUnsafeBufferPointer { inp in compress2(out.baseAddress, &size, inp.baseAddress, UInt(inp.count), 9) }
    }
    guard status == Z_OK else { return nil }
    return Array(output.prefix(Int(size)))
  }
}
