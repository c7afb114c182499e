import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs check IMAGE`: structural consistency, read-only.
struct FSCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a SPIFFS image for inconsistencies (exit 65 when errors are found).",
    discussion: "Warnings are what SPIFFS itself tolerates or repairs silently; errors lose or garble data.")

  @OptionGroup var source: FSImageOptions

  @Flag(help: "Print the report as JSON on stdout.")
  var json = false

  func run() throws {
    let (image, _, _) = try source.open()
    let report = image.check()
    if json {
      try Console.json(CheckJSON(report))
    } else {
      for problem in report.problems { Console.print(problem.description) }
      Console.print("\(report.errors.count) error(s), \(report.warnings.count) warning(s) in \(report.filesChecked) "
        + "files and \(report.pagesChecked) pages (\(ImageMount.describe(report.layout)))")
    }
    if !report.isConsistent { throw ExitCode(ExitStatus.dataError.rawValue) }
  }
}

private struct CheckJSON: Encodable {
  struct Problem: Encodable {
    var severity: String, kind: String, block: Int?, page: Int?, objectID: Int?, message: String
  }
  var consistent: Bool
  var errors: Int
  var warnings: Int
  var filesChecked: Int
  var pagesChecked: Int
  var problems: [Problem]

  init(_ report: SPIFFSCheckReport) {
    consistent = report.isConsistent
    errors = report.errors.count
    warnings = report.warnings.count
    filesChecked = report.filesChecked
    pagesChecked = report.pagesChecked
    problems = report.problems.map {
      Problem(severity: $0.severity.rawValue, kind: $0.kind.rawValue, block: $0.block, page: $0.page,
              objectID: $0.objectID.map(Int.init), message: $0.message)
    }
  }
}
