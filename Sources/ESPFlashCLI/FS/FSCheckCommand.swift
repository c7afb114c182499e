import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs check IMAGE`: structural consistency, read-only.
struct FSCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a SPIFFS or LittleFS image for inconsistencies (exit 65 when errors are found).",
    discussion: "Warnings are what SPIFFS itself tolerates or repairs silently; errors lose or garble data.")

  @OptionGroup var source: FSImageOptions

  @Flag(help: "Print the report as JSON on stdout.")
  var json = false

  func run() throws {
    let image: SPIFFSImage
    switch try source.openAny() {
    case .littlefs(let littlefs): return try LittleFSRendering.check(littlefs, json: json)
    case .spiffs(let spiffs, _): image = spiffs
    }
    let report = image.check()
    if json {
      try Console.json(ImageCheckReport(report))
    } else {
      for problem in report.problems + report.notes { Console.print(problem.description) }
      Console.print("\(report.errors.count) error(s), \(report.warnings.count) warning(s) in \(report.filesChecked) "
        + "files and \(report.pagesChecked) pages (\(ImageMount.describe(report.layout)))")
    }
    if !report.isConsistent { throw ExitCode(ExitStatus.dataError.rawValue) }
  }
}
