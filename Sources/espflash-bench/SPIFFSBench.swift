// PLACEHOLDER: the SPIFFS builder helper replaces this file.
enum SPIFFSBench { static func run() { print("spiffs: not measured yet") } }
