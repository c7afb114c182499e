import ArgumentParser
import Credentials
import ESPFlashKit
import Foundation

/// `certs convert`: PEM ↔ DER, byte-identical to openssl (see CredentialConversion).
struct CertsConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert a certificate or key between PEM and DER (byte-identical to openssl).",
    discussion: """
      Certificates: like `openssl x509 -outform DER|PEM`. RSA keys: PKCS#1, like `openssl rsa -traditional`. \
      EC keys: SEC1, like `openssl ec`. --pkcs8: PKCS#8, like `openssl pkcs8 -topk8 -nocrypt` (OpenSSL 3's \
      `openssl rsa -outform DER` also writes PKCS#8). The default output is IN with .der/.pem.
      """
  )

  @Argument(help: "Input file (PEM or DER).")
  var input: String

  @Option(name: .shortAndLong, help: "Output file, or - for stdout.")
  var output: String?

  @Option(help: "Output encoding: der or pem (default: the other one).")
  var to: CredentialEncodingChoice?

  @Flag(help: "Write private keys as PKCS#8.")
  var pkcs8 = false

  func run() throws {
    let bytes = try HostFiles.read(input)
    let inputName = URL(fileURLWithPath: input).lastPathComponent
    let inspected = CredentialFile.inspect(path: inputName, bytes: bytes)
    let encoding = to ?? (inspected.encoding == .pem ? .der : .pem)
    let converted = try CredentialConversion.convert(bytes, name: inputName, to: encoding, pkcs8: pkcs8)
    let destination = output ?? defaultOutput(encoding)
    if destination == "-" {
      Console.writeRaw(converted.bytes)
      return
    }
    if output == nil, FileManager.default.fileExists(atPath: destination) {
      throw CLIError("\(destination) already exists", hint: "pass -o \(destination) to overwrite it", status: .usage)
    }
    try HostFiles.writeAtomically(converted.bytes, to: destination)
    Console.note("wrote \(destination): \(converted.kind), \(encoding.rawValue.uppercased()), \(converted.bytes.count) bytes")
  }

  /// "private.pem.key" → "private.der"; "cert.der" → "cert.pem", next to the input.
  private func defaultOutput(_ encoding: CredentialEncodingChoice) -> String {
    var stem = String(DERConversion.derName(for: input).dropLast(4))
    if stem.lowercased().hasSuffix(".der"), !stem.hasSuffix("/.der") { stem.removeLast(4) }
    return stem + (encoding == .der ? ".der" : ".pem")
  }
}

extension CredentialEncodingChoice: ExpressibleByArgument {}
