/// Every way a user can name a layout: preset names, aliases (ld scripts, CSV names, older menu ids) and the
/// Arduino IDE's menu labels, with "did you mean" for the rest.
public enum LayoutNames {
  /// A preset by name, alias or IDE menu label ("4MB (FS:2MB OTA:~1019KB)", "Minimal SPIFFS (…)").
  public static func preset(named name: String) -> SPIFFSLayoutPreset? {
    if let preset = SPIFFSLayoutPresets.named(name) { return preset }
    guard let (esp8266, id) = ArduinoMenuLabels.lookup(label: name) else { return nil }
    if esp8266 { return SPIFFSLayoutPresets.named(id) }
    if case .spiffs(let layout) = ArduinoBoards.esp32Schemes[SPIFFSLayoutPresets.lowercase(id)] {
      return SPIFFSLayoutPresets.named(layout)
    }
    return nil
  }

  /// Everything `preset(named:)` accepts, for suggestions and shell completion.
  public static var all: [String] {
    SPIFFSLayoutPresets.all.flatMap { [$0.name] + $0.aliases } + ArduinoMenuLabels.allLabels
  }

  /// Up to `limit` names closest to `typed`: containment first, then edit distance within a third of the
  /// length (so `esp32-defualt` finds esp32-default and `4m1` finds 4M1M).
  public static func closest(to typed: String, among pool: [String] = LayoutNames.all, limit: Int = 5) -> [String] {
    let wanted = ArduinoMenuLabels.normalized(typed)
    guard !wanted.isEmpty else { return [] }
    var scored: [(Int, String)] = []
    var seen = Set<String>()
    for name in pool where seen.insert(SPIFFSLayoutPresets.lowercase(name)).inserted {
      let candidate = ArduinoMenuLabels.normalized(name)
      let distance = editDistance(Array(wanted.unicodeScalars), Array(candidate.unicodeScalars))
      let budget = max(2, wanted.unicodeScalars.count / 3)
      if distance <= budget { scored.append((distance, name)) }
      else if wanted.count >= 3, candidate.contains(wanted) || wanted.contains(candidate) { scored.append((budget + 1, name)) }
    }
    return scored.sorted { ($0.0, $0.1.count, $0.1) < ($1.0, $1.1.count, $1.1) }.prefix(limit).map(\.1)
  }

  /// Levenshtein distance, with a transposition counted as one edit (Damerau's restricted form) because
  /// swapped letters are the commonest typo.
  static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], previous2[j - 2] + 1)
        }
      }
      (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
  }
}
