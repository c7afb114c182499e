import ESPFlashKit
import Testing
@testable import ESPFlashCLI

@Suite struct SpellingTests {
  @Test func optionUnderscoresBecomeDashesButValuesStay() {
    let out = ArgumentSpelling.normalize(["--flash_mode", "dio", "--before=default_reset", "data_dir/x_y.bin"])
    #expect(out == ["--flash-mode", "dio", "--before=default_reset", "data_dir/x_y.bin"])
  }

  @Test func sizesAcceptHexDecimalAndSuffixes() {
    #expect(ByteSize.parse("0x300000") == 0x300000)
    #expect(ByteSize.parse("3145728") == 3145728)
    #expect(ByteSize.parse("1M") == 1 << 20)
    #expect(ByteSize.parse("64K") == 65536)
    #expect(ByteSize.parse("4MB") == 4 << 20)
    #expect(ByteSize.parse("0x") == nil)
    #expect(ByteSize.parse("12Q") == nil)
  }
}
