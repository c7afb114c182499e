import CBuildInfo

/// `--version`: the release and the commit `scripts/install` built from.
enum BuildInfo {
  static let version = "0.1.0"

  /// nil for a plain `swift build`, which has no way to hand Swift code a build-time value.
  static var commit: String? {
    let text = String(cString: espflash_build_commit())
    return text.isEmpty ? nil : text
  }

  static var versionLine: String {
    "\(version) (commit \(commit ?? "unknown: built without scripts/install"))"
  }
}
