/// Where two byte runs first differ, or nil when they are equal. Tests compare megabyte flash regions with
/// this rather than `#expect(a == b)`: a failing `==` on large arrays makes the test library compute a
/// collection diff, which takes minutes; an offset is what one needs to look at anyway.
public func firstDifference(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> String? {
  var offset = 0
  var left = a.makeIterator(), right = b.makeIterator()
  while true {
    switch (left.next(), right.next()) {
    case (nil, nil): return nil
    case (let x?, let y?) where x == y: offset += 1
    case (let x, let y):
      return "first difference at +0x\(String(offset, radix: 16)): \(x.map { String($0) } ?? "end") vs "
        + "\(y.map { String($0) } ?? "end") (sizes \(a.count) and \(b.count))"
    }
  }
}
