import ArgumentParser
import Credentials
import ESPFlashKit
import Foundation

/// The credential options of the commands that build an image (`fs build`, later `fs upload`).
struct FSCredentialOptions: ParsableArguments {
  @Flag(help: ArgumentHelp(
    "Store PEM certificates and keys as DER (RSA keys PKCS#1, EC keys SEC1, like openssl -traditional).",
    discussion: "Converts files named *.pem, *.crt, *.cer, *.cert, *.key or without an extension that hold one PEM certificate or key; the stored name drops those extensions and ends in .der (cert.pem.crt -> /cert.der). CA bundles with several certificates stay PEM. The data folder is not changed."))
  var der = false

  @Option(name: .customLong("rename"), help: ArgumentHelp(
    "Store a file under another name: FROM=TO, both relative to the data folder (repeatable).",
    discussion: "With --der it picks the DER file's name (--rename cert.pem=client.der); without --der it renames the file as is.",
    valueName: "from=to"))
  var renames: [String] = []

  @Flag(help: "Build even when the credential check finds errors (they are not printed).")
  var noCertCheck = false

  @Option(help: ArgumentHelp(
    "TLS stack the credential check assumes.",
    discussion: "Default from the layout: ESP8266 esp8266-bearssl, ESP32 esp32-arduino, ESP-IDF esp-idf-mbedtls3."))
  var certTarget: TargetPlatform?

  @Option(help: "Server host for the credential check, e.g. xxxx-ats.iot.us-east-1.amazonaws.com (picks the right root CA).")
  var endpoint: String?

  func handling() throws -> ImagePipeline.CredentialHandling {
    ImagePipeline.CredentialHandling(der: der, renames: try DERConversion.parseRenames(renames), check: !noCertCheck,
                                     target: certTarget, endpoint: endpoint, at: Date())
  }
}
