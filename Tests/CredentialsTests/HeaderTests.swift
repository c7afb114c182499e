import Foundation
import Testing
@testable import Credentials

@Suite struct HeaderTests {
  static let compiler = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first { FileManager.default.isExecutableFile(atPath: $0) }

  @Test func identifiersFollowXxd() {
    #expect(CHeader.identifier(for: "cert.der") == "cert_der")
    #expect(CHeader.identifier(for: "dir/AmazonRootCA1.pem") == "AmazonRootCA1_pem")
    #expect(CHeader.identifier(for: "1-private.pem.key") == "__1_private_pem_key")
    #expect(CHeader.identifier(for: "é.der") == "___der")
  }

  @Test func privateKeyIsWarnedAbout() throws {
    let out = try CHeader.render(files: [("cert.der", try Fixtures.bytes("good-aws/cert.der")), ("private.der", try Fixtures.bytes("good-aws/private.der"))],
                                 options: .init())
    #expect(out.warnings.count == 1)
    #expect(out.warnings.first?.contains("private.der") == true)
    #expect(out.text.contains("#ifndef CERTS_H"))
    #expect(out.text.contains("sha256 "))
  }

  @Test func duplicateNamesAreRefused() throws {
    #expect(throws: CHeader.HeaderError.self) {
      try CHeader.render(files: [("a.der", [1]), ("b/a.der", [2])], options: .init())
    }
  }

  /// Compiles the header into a program that writes every array back out, and compares the bytes.
  @Test(.enabled(if: compiler != nil, "no C compiler (cc/gcc/clang) on this machine"),
        arguments: [(false, false), (true, false), (false, true), (true, true)])
  func headerCompilesAndHoldsTheBytes(progmem: Bool, pem: Bool) throws {
    let sources = ["good-aws/cert.der", "good-aws/private.der", "good-aws/AmazonRootCA1.pem", "good-pem-crlf/cert.pem.crt"]
    let files = try sources.map { (name: URL(fileURLWithPath: $0).lastPathComponent, bytes: try Fixtures.bytes($0)) }
    let header = try CHeader.render(files: files, options: .init(progmem: progmem, pem: pem, guardName: "TEST_CERTS_H"))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("certs-header-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try header.text.write(to: dir.appendingPathComponent("certs.h"), atomically: true, encoding: .utf8)
    var program = "#include <stdio.h>\n#include \"certs.h\"\n#include \"certs.h\"\nint main(void) {\n  FILE *f;\n"
    for (_, id) in header.symbols {
      program += "  f = fopen(\"\(id).out\", \"wb\"); fwrite(\(id), 1, \(id)_len, f); fclose(f);\n"
      if pem { program += "  if (\(id)[\(id)_len] != 0) return 3;\n" }
    }
    program += "  return 0;\n}\n"
    try program.write(to: dir.appendingPathComponent("main.c"), atomically: true, encoding: .utf8)
    try run(Self.compiler!, ["-std=c99", "-Wall", "-Werror", "-Wno-unused-const-variable", "-o", "dump", "main.c"], in: dir)
    try run(dir.appendingPathComponent("dump").path, [], in: dir)
    for ((name, bytes), (_, id)) in zip(files, header.symbols) {
      let written = [UInt8](try Data(contentsOf: dir.appendingPathComponent("\(id).out")))
      if pem {
        let expected = try CHeaderExpectation.pem(name: name, bytes: bytes)
        #expect(written == expected, "\(name)")
      } else {
        #expect(written == bytes, "\(name)")
      }
    }
  }

  private func run(_ tool: String, _ args: [String], in dir: URL) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = args
    p.currentDirectoryURL = dir
    let err = Pipe()
    p.standardError = err
    try p.run()
    let message = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "\(tool) \(args): \(String(decoding: message, as: UTF8.self))")
    if p.terminationStatus != 0 { throw CancellationError() }
  }
}

/// What --pem must embed: the PEM text openssl would write (64 columns, LF), for DER input via `convert`.
enum CHeaderExpectation {
  static func pem(name: String, bytes: [UInt8]) throws -> [UInt8] {
    let file = CredentialFile.inspect(path: name, bytes: bytes)
    if file.encoding == .der { return try CredentialConversion.convert(bytes, name: name, to: .pem).bytes }
    // PEM input: CRLF → LF, nothing else changes for openssl-written files.
    return bytes.filter { $0 != 0x0D }
  }
}
