/// How faithful the virtual board is, in one place (kept as documentation beside the code; a README in a
/// target folder would need a Package.swift exclude).
///
/// # DeviceSimulator: the virtual board
///
/// A virtual ESP8266 / ESP32 (and, minimally, ESP32-S2/S3/C3/C6/H2) for tests, the `simulate` command and the
/// loader benchmark. It shares only `SLIP`, `Opcode`, `Chip` and `Transport` with the client; requests are
/// parsed here, independently, so one misunderstanding cannot sit on both sides.
///
/// ## Pieces
///
/// | file | what |
/// |---|---|
/// | `Board/VirtualBoard.swift` | reset pins, UART baud, frame intake, replies, faults, stub entry / crash |
/// | `Board/VirtualBoard+ROM.swift` | ROM loader: ESP8266 0x02–0x0A only (everything else `1, 0x05`), ESP32 family adds SPI set-up, DEFL, hex MD5, READ_FLASH_SLOW, security info (S2+) |
/// | `Board/VirtualBoard+Stub.swift` | flasher stub behaviour after MEM_END + OHAI |
/// | `Board/VirtualBoard+Common.swift` | registers, RAM upload, SPI_SET_PARAMS/ATTACH, CHANGE_BAUDRATE, MD5 |
/// | `Board/RegisterFile.swift` | magic, efuse MAC/revision, UART_CLKDIV, RTC calibration, SPI user commands (RDID, RDSR, WREN/WRSR, SFDP, READ) |
/// | `Flash/NORFlash.swift` | NOR semantics (program = AND, erase 4 KiB → 0xFF, addresses wrap) and timing figures |
/// | `Wire/WireMeter.swift`, `Wire/FaultPlan.swift` | counters and modelled time; injected faults |
/// | `Transport/VirtualBoardTransport.swift`, `VirtualBoardURL.swift` | in-process `Transport`, `sim://` URLs with image persistence |
/// | `Server/BoardServer.swift` | TCP and pseudo-terminal serving for `espflash-swift simulate` |
///
/// ## Timing model (wire meter)
///
/// * UART: 10 bits per byte (8N1, no gaps) at the baud in effect when the byte crossed.
/// * Flash, Winbond W25Q32FV datasheet *typical* values: sector erase 45 ms, 64 KiB block erase 150 ms, page
///   program 0.7 ms per 256-byte page touched, chip erase 10 s per 4 MiB. Maximums are 5–10× higher.
/// * WRITE_REG `delay_us` is added; read timeouts that expired on the in-process transport are reported
///   separately as idle time.
/// * The total is a sum. A stub acknowledges a block before writing it, so on silicon the flash time of stub
///   writes partly overlaps the wire time: the modelled stub total is pessimistic by up to the flash time.
/// * Not modelled: MD5 and inflate CPU time, USB latency, esptool's host-side delays.
///
/// ## Faithful to `rom-protocol.md` §13
///
/// 2 status bytes for the ESP8266 ROM and stubs, 4 for ESP32-family ROMs; error code first in stubs;
/// the ESP8266 ROM refuses 0x0B+ with `1, 0x05` and no effect; FLASH_BEGIN erases in ROM, with the ESP8266
/// SPIEraseArea bug (`E + min(E, head)` sectors); NOR AND semantics; seq / block size / checksum / BEGIN /
/// too much and too little data are enforced; the ESP32 ROM MD5 is 32 hex + 4 status; stub READ_FLASH keeps
/// one packet in flight and always ends with the MD5; MEM_END replies in ROM format before OHAI; ROM SYNC value
/// non-zero (0x55552007), stub 0; the ESP32 ROM starts with a 2 MB geometry and needs SPI_ATTACH; the JEDEC id
/// follows the flash size (Winbond 0xEF40xx); the magic register always reads the chip's magic; FLASH_END(1)
/// leaves the ROM loader and runs the flash, a stub's FLASH_END(1) stays in the stub.
///
/// ## Known deviations from silicon (choices where nothing is documented or verified)
///
/// * **Uploaded code is not executed.** Any MEM_END whose entry lies inside an uploaded segment starts the
///   generic stub personality; an entry outside all segments "crashes" the chip (panic text, no replies until
///   reset). Differences between the legacy stub and esp-flasher-stub are not modelled (e.g. the new stub
///   skipping erases of blank sectors: this one always erases, which costs modelled time only).
/// * **Error codes not documented for silicon:** bad `seq`, DATA without BEGIN and too many blocks answer
///   ROM `0x01`; stub bad `seq` answers `0xC0`; out-of-geometry and not-attached answer ROM `0x09`, stub
///   `0xC4`; misaligned stub ERASE_REGION answers the legacy stub's raw `0x32`.
/// * The ROM's per-block readback check is modelled as a CRC-8 (polynomial 0x07) of the block; the real
///   ROM's 8-bit check is not documented, so a corrupt block passes with probability 1/256 here too, but not
///   necessarily for the same blocks.
/// * ESP8266 ROM geometry is taken as 4 MB (§15 open question 2); the ESP32 ROM's as 2 MB until
///   SPI_SET_PARAMS; a stub uses the physical size.
/// * FLASH_END(0) (ROM or stub) is a software reset that boots with the strapping latched at the last chip
///   reset (inferred from esptool's "soft resetting from the stub loader will re-load the ROM bootloader"):
///   after a download-mode boot it comes back to the ROM loader, with a fresh boot banner.
/// * Unsupported opcodes get one error reply (real ROMs may send several).
/// * ROM autobaud locks to the host's rate at the first bytes after a reset; garbled bytes at a baud
///   mismatch are deterministic pseudo-random and never `C0`.
/// * ESP32-S2/S3/C3/C6/H2 share the ESP32 ROM behaviour (4 status bytes, 20-byte FLASH_BEGIN, chip id in
///   GET_SECURITY_INFO). Their efuse/MAC, UART_CLKDIV and RAM maps are not modelled (MAC reads 0, crystal
///   detection falls back to esptool's default).
/// * SPI user commands: RDID, RDSR/RDSR2/RDSR3, WREN/WRDI/WRSR, SFDP (signature only), READ/FAST_READ;
///   program and erase through the SPI registers are accepted but do nothing.
/// * Over TCP and pseudo-terminals there is no baud: bytes are never garbled, and the meter counts time at the
///   board's current UART rate (115200 until CHANGE_BAUDRATE).
///
public enum SimulatorFidelity {}
