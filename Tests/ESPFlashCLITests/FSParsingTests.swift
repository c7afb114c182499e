import ArgumentParser
import ESPFlashKit
import ESPLoader
import SPIFFS
import Testing
@testable import ESPFlashCLI

/// The fs commands' options parse, validate and resolve in process (no binary, no files).
@Suite struct FSParsingTests {
  func parse(_ args: [String]) throws -> any ParsableCommand {
    try ESPFlashCommand.parseAsRoot(ArgumentSpelling.normalize(args))
  }

  @Test func uploadOptionsBecomeLibrarySettings() throws {
    let upload = try #require(try parse(["fs", "upload", "data", "--layout", "4M1M", "--offset", "0x200000", "--format",
                                         "mkspiffs", "--include_hidden", "-p", "sim://esp8266", "--no-stub", "-b", "921600",
                                         "--after", "no_reset"]) as? FSUploadCommand)
    #expect(upload.offset?.value == 0x200000)
    let settings = upload.connection.settings
    #expect(settings.port == "sim://esp8266" && settings.stub == .none && settings.transferBaud == 921_600)
    #expect(settings.after == .noReset)
    let preset = try #require(try upload.layoutOptions.resolvePreset(requireComplete: true))
    let options = upload.packing.pipelineOptions(dataDir: try #require(upload.dataDir), preset: preset,
                                                 credentials: try upload.credentialOptions.handling())
    #expect(options.format == .mkspiffs && options.includeHidden && options.preset.name == "4M1M")
  }

  @Test func sizeBlockAndPlatformMakeACustomLayout() throws {
    let build = try #require(try parse(["fs", "build", "d", "-o", "x.bin", "--size", "128K", "--block", "4096",
                                        "--platform", "esp32"]) as? FSBuildCommand)
    let preset = try #require(try build.layoutOptions.resolvePreset(requireComplete: true))
    #expect(preset.isCustom && preset.imageSize == 0x20000 && preset.knownFlashOffset == nil)
  }

  @Test func contradictionsAreRefusedWhileParsing() {
    #expect(throws: (any Error).self) { try parse(["fs", "provision", "d", "--devices", "t", "-o", "o", "--layout", "4M1M", "--order", "x"]) }
    #expect(throws: (any Error).self) { try parse(["fs", "download", "--layout", "4M1M", "--force"]) }
    #expect(throws: (any Error).self) { try parse(["write-flash", "-u", "-z", "0", "x"]) }
    #expect(throws: (any Error).self) { try parse(["fs", "build", "d"]) }  // -o is required
  }

  @Test func layoutOptionsThatCannotBeCombinedAreUsageErrors() throws {
    let build = try #require(try parse(["fs", "build", "d", "-o", "x", "--layout", "4M1M", "--size", "1M"]) as? FSBuildCommand)
    #expect { try build.layoutOptions.resolvePreset(requireComplete: true) } throws: {
      ($0 as? CLIError)?.exitStatus == .usage
    }
    let unknown = try #require(try parse(["fs", "build", "d", "-o", "x", "--layout", "4M9M"]) as? FSBuildCommand)
    #expect { try unknown.layoutOptions.resolvePreset(requireComplete: true) } throws: {
      ($0 as? CLIError)?.hint?.contains("fs layouts") == true
    }
  }
}
