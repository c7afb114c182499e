import ArgumentParser
import Credentials
import ESPFlashKit
import Foundation

/// `certs header`: C arrays for embedding credentials in a sketch.
struct CertsHeaderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "header",
    abstract: "Write certificates and keys as C arrays (named like `xxd -i`) into a header.",
    discussion: "Arrays are `static const uint8_t NAME[]` with `NAME_len`; --pem writes NUL-terminated PEM strings for BearSSL::X509List, arduino-esp32 setCACert and ESP-IDF configs."
  )

  @Argument(help: "Certificate and key files.")
  var files: [String]

  @Option(name: .shortAndLong, help: "Header to write (default: stdout).")
  var output: String?

  @Flag(help: "Put the arrays in flash (PROGMEM, ESP8266).")
  var progmem = false

  @Flag(help: "Embed PEM text instead of bytes.")
  var pem = false

  @Option(name: .customLong("guard"), help: "Include guard macro (default from the output name).")
  var guardName: String?

  func run() throws {
    let inputs = try files.map { (name: URL(fileURLWithPath: $0).lastPathComponent, bytes: try HostFiles.read($0)) }
    let guardMacro = guardName ?? CHeader.identifier(for: output.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "certs.h").uppercased()
    let header = try CHeader.render(files: inputs, options: .init(progmem: progmem, pem: pem, guardName: guardMacro))
    for warning in header.warnings { Console.note(warning) }
    if let output, output != "-" {
      try HostFiles.writeAtomically(Array(header.text.utf8), to: output)
      Console.note("wrote \(output): \(header.symbols.map(\.identifier).joined(separator: ", "))")
    } else {
      Console.write(header.text)
    }
  }
}
