import Foundation
import Testing
@testable import Credentials

@Suite struct SketchLintTests {
  func lint(_ sketch: String, set: String, target: TargetPlatform = .esp8266BearSSL) throws -> [Finding] {
    let text = String(decoding: try Fixtures.bytes("sketches/\(sketch)"), as: UTF8.self)
    let findings = CredentialChecker.check(files: try Fixtures.set(set),
                                           options: CheckOptions(target: target, endpoint: Fixtures.atsEndpoint, at: Fixtures.checkDate,
                                                                 sketches: [(sketch, text)]))
    return findings.filter { $0.file == sketch }
  }

  @Test func legacySketchCollectsEveryProblem() throws {
    let findings = try lint("aws_legacy.ino", set: "good-aws")
    let ids = Set(findings.map(\.check))
    #expect(ids.isSuperset(of: [.sketchRemovedAPI, .sketchInsecure, .sketchNoClock, .sketchAutoFormat, .sketchBufferSizes, .sketchMissingFile]))
    #expect(findings.first { $0.check == .sketchMissingFile }?.message.contains("/ca.der") == true)
    #expect(findings.first { $0.check == .sketchRemovedAPI }?.severity == .error)
    #expect(findings.filter { $0.check == .sketchRemovedAPI }.count == 3)  // loadCertificate, loadPrivateKey, loadCACert
  }

  @Test func goodSketchIsClean() throws {
    let findings = try lint("aws_good.ino", set: "good-aws")
    #expect(findings.isEmpty, "\(findings.map { "\($0.check.rawValue): \($0.message)" })")
  }

  @Test func esp32SketchFeedingDERToPEMSetters() throws {
    let findings = try lint("esp32_der.ino", set: "good-aws", target: .esp32Arduino)
    #expect(findings.contains { $0.check == .sketchPEMOnlyLoader && $0.severity == .error })
    #expect(findings.contains { $0.check == .sketchAutoFormat })
    #expect(!findings.contains { $0.check == .sketchRemovedAPI })  // setCertificate is current API on ESP32
  }

  @Test func commentsAreIgnored() {
    let code = CheckContext.stripComments("a(); // setInsecure();\n/* loadCertificate( */ b(\"// not a comment\");")
    #expect(!code.contains("setInsecure"))
    #expect(!code.contains("loadCertificate"))
    #expect(code.contains("\"// not a comment\""))
  }
}
