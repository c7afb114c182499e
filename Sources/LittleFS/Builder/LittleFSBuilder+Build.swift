/// A file the mklittlefs-compatible run could not add (only from `buildLikeMklittlefs`).
public struct LittleFSSkippedFile: Equatable, Sendable {
  public var path: String
  public var reason: String
}

extension LittleFSBuilder {
  /// Builds the image. Any file that does not fit or cannot be named stops the build with an error naming
  /// it; nothing is left out silently.
  public func build(_ files: [LittleFSInputFile]) throws(LittleFSBuildError) -> [UInt8] {
    try run(files, continueAfterFailure: false).image
  }

  /// mklittlefs' own behaviour on failure, for reproducing its images: a file that does not fit is left
  /// created but empty, the rest of its directory is skipped, and the build goes on (§5.3).
  public func buildLikeMklittlefs(_ files: [LittleFSInputFile]) throws(LittleFSBuildError) -> (image: [UInt8], skipped: [LittleFSSkippedFile]) {
    try run(files, continueAfterFailure: true)
  }

  private func run(_ input: [LittleFSInputFile], continueAfterFailure: Bool) throws(LittleFSBuildError) -> (image: [UInt8], skipped: [LittleFSSkippedFile]) {
    try validate()
    var files = input
    var paths: [[[UInt8]]] = []
    if case .device = format { files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) } }
    var seen: Set<[[UInt8]]> = []
    for file in files {
      let parts = try Self.components(file.path)
      guard seen.insert(parts).inserted else { throw .duplicatePath(file.path) }
      for part in parts where part.count > effectiveNameMax {
        throw .nameTooLong(path: file.path, component: String(decoding: part, as: UTF8.self), bytes: part.count, limit: effectiveNameMax)
      }
      if case .mklittlefs(let profile) = format, let limit = profile.maxPathBytes, file.path.utf8.count > limit {
        throw .pathTooLong(path: file.path, bytes: file.path.utf8.count, limit: limit)
      }
      paths.append(parts)
    }
    let engine: LFSEngine
    switch format {
    case .mklittlefs(let profile): engine = LFSEngine(config: profile.engineConfig(blockSize: blockSize, blockCount: blockCount))
    case .device(let target):
      engine = LFSEngine(config: target.engineConfig(blockSize: blockSize, blockCount: blockCount, nameMax: effectiveNameMax))
    }
    var skipped: [LittleFSSkippedFile] = []
    var skipPrefix: [[UInt8]]?
    let total = files.reduce(0) { $0 + $1.contents.count }
    func fail(_ error: LFSEngineError, _ index: Int) -> LittleFSBuildError {
      switch error {
      case .noSpace:
        return .doesNotFit(path: files[index].path, index: index, fileCount: files.count, blockCount: blockCount,
                           blockSize: blockSize, contentBytes: total)
      case .unsupported(let what): return .unsupported(path: files[index].path, what: what)
      default: return .unsupported(path: files[index].path, what: "littlefs error \(error)")
      }
    }
    do {
      try engine.format()
      try engine.mount()
    } catch {
      throw .invalidGeometry(blockSize: blockSize, imageSize: imageSize, reason: "format failed: \(error)")
    }
    for (index, file) in files.enumerated() {
      let parts = paths[index]
      if let prefix = skipPrefix, parts.count > prefix.count, Array(parts[0..<prefix.count]) == prefix { continue }
      do {
        switch format {
        case .mklittlefs(let profile): try addLikeMklittlefs(engine, profile, parts, file)
        case .device(let target): try addForDevice(engine, target, parts, file)
        }
      } catch {
        guard continueAfterFailure, error == .noSpace || error == .nameTooLong else { throw fail(error, index) }
        skipped.append(LittleFSSkippedFile(path: file.path, reason: "\(error)"))
        skipPrefix = Array(parts.dropLast())
      }
    }
    do {
      try addRootTime(engine)
    } catch {
      throw fail(error, max(0, files.count - 1))
    }
    var image = engine.disk
    if image.count < imageSize { image += [UInt8](repeating: 0xFF, count: imageSize - image.count) }
    return (Array(image.prefix(imageSize)), skipped)
  }

  static func timeBytes(_ t: Int64, width: Int) -> [UInt8] {
    width == 4 ? LE.bytes(UInt32(truncatingIfNeeded: t)) : LE.bytes(UInt64(bitPattern: t))
  }

  /// mklittlefs' sequence (§5.2 step 4): each parent made and stamped, create, write, close, stamp.
  private func addLikeMklittlefs(_ engine: LFSEngine, _ profile: LittleFSToolProfile, _ parts: [[UInt8]],
                                 _ file: LittleFSInputFile) throws(LFSEngineError) {
    let stamp = Self.timeBytes(time(of: file) ?? 0, width: profile.timeWidth)
    let t = UInt8(ascii: "t"), c = UInt8(ascii: "c")
    for depth in 0..<parts.count {
      let prefix = Array(parts[0..<depth])
      if depth > 0 {
        do { try engine.mkdir(prefix) } catch .exists {}
      }
      if profile.directoryTimes {
        try engine.setAttr(prefix, type: t, stamp)
        try engine.setAttr(prefix, type: c, stamp)
      }
    }
    var handle = try engine.create(parts)
    try engine.write(&handle, file.contents)
    try engine.close(&handle)
    try engine.setAttr(parts, type: t, stamp)
    try engine.setAttr(parts, type: c, stamp)
  }

  /// The device format: parents made, then one create and one close commit carrying the times.
  private func addForDevice(_ engine: LFSEngine, _ target: LittleFSTarget, _ parts: [[UInt8]],
                            _ file: LittleFSInputFile) throws(LFSEngineError) {
    for depth in 1..<parts.count {
      do { try engine.mkdir(Array(parts[0..<depth])) } catch .exists {}
    }
    var handle = try engine.create(parts)
    try engine.write(&handle, file.contents)
    let attrs = time(of: file).map { t in target.fileTimeTypes.map { ($0, Self.timeBytes(t, width: 8)) } } ?? []
    try engine.close(&handle, attributes: attrs)
  }

  private func addRootTime(_ engine: LFSEngine) throws(LFSEngineError) {
    let t = UInt8(ascii: "t"), c = UInt8(ascii: "c")
    switch format {
    case .mklittlefs(let profile):
      guard profile.rootBuildTime else { return }
      let stamp = Self.timeBytes(buildTime ?? 0, width: 8)
      try engine.setAttr([], type: t, stamp)
      try engine.setAttr([], type: c, stamp)
    case .device(let target):
      guard let buildTime else { return }
      for type in target == .esp8266 ? [t, c] : [t] { try engine.setAttr([], type: type, Self.timeBytes(buildTime, width: 8)) }
    }
  }
}
