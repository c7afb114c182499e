import Testing
@testable import ESPLoader
import ESPTransport

/// Per-chip header codes (the bug: `--flash-freq 80m` on the C6 wrote e901020f where esptool writes
/// e9010200), and the macOS USB registry parsing that finds USB-Serial/JTAG ports.
@Suite struct ChipFactsTests {
  static func header(_ chip: Chip, _ frequency: String) throws -> [UInt8] {
    var image = [UInt8](repeating: 0, count: 64)
    image[0] = 0xE9
    image[1] = 1
    image[2] = 2
    let patched = try ImageHeader.patch(image, address: chip.bootloaderOffset, chip: chip, mode: nil,
                                        frequency: FlashFrequency(rawValue: frequency), size: .bytes(2 << 20),
                                        detectedSize: nil)
    return Array(patched.prefix(4))
  }

  @Test func frequencyCodesFollowEachChip() throws {
    #expect(try Self.header(.esp32c6, "80m") == [0xE9, 0x01, 0x02, 0x10])  // 2MB nibble 0x10, 80m → 0x0
    #expect(try Self.header(.esp32, "80m") == [0xE9, 0x01, 0x02, 0x1F])
    #expect(try Self.header(.esp32h2, "48m") == [0xE9, 0x01, 0x02, 0x1F])
    #expect(try Self.header(.esp32c2, "60m") == [0xE9, 0x01, 0x02, 0x1F])
    #expect(try Self.header(.esp32c2, "20m") == [0xE9, 0x01, 0x02, 0x11])
    #expect(throws: LoaderError.self) { _ = try Self.header(.esp32h2, "80m") }
    #expect(throws: LoaderError.self) { _ = try Self.header(.esp32c6, "26m") }
  }

  @Test func c6At80MHzKeepsTheSizeNibbleAndWritesZero() throws {
    var image = [UInt8](repeating: 0, count: 64)
    image[0] = 0xE9; image[1] = 1; image[2] = 2; image[3] = 0x0F
    let patched = try ImageHeader.patch(image, address: 0, chip: .esp32c6, mode: nil, frequency: .f80m, size: .keep,
                                        detectedSize: nil)
    #expect(Array(patched.prefix(4)) == [0xE9, 0x01, 0x02, 0x00])
  }

  @Test func macOSRegistryGivesTheIdsOfEachCalloutDevice() {
    let text = """
      +-o USB JTAG/serial debug unit@01100000  <class IOUSBHostDevice, id 0x100000a2b, registered, matched>
        | {
        |   "idProduct" = 4097
        |   "idVendor" = 12346
        | }
        | +-o IOUSBHostInterface@0  <class IOUSBHostInterface, id 0x100000a2e>
        |   | {
        |   |   "idProduct" = 4097
        |   |   "idVendor" = 12346
        |   | }
        |   +-o AppleUSBACMData  <class AppleUSBACMData>
        |       +-o IOSerialBSDClient  <class IOSerialBSDClient>
        |             "IOCalloutDevice" = "/dev/cu.usbmodem1101"
      +-o CP2102 USB to UART Bridge Controller@01200000  <class IOUSBHostDevice, id 0x100000b00>
        | {
        |   "idProduct" = 60000
        |   "idVendor" = 4292
        | }
        |       +-o IOSerialBSDClient  <class IOSerialBSDClient>
        |             "IOCalloutDevice" = "/dev/cu.usbserial-0001"
      """
    let ids = MacUSBRegistry.idsByCalloutDevice(text)
    #expect(ids["/dev/cu.usbmodem1101"]?.vendor == 0x303A && ids["/dev/cu.usbmodem1101"]?.product == 0x1001)
    #expect(ids["/dev/cu.usbserial-0001"]?.vendor == 0x10C4 && ids["/dev/cu.usbserial-0001"]?.product == 0xEA60)
  }
}
