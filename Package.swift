// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "espflash-swift",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "espflash-swift", targets: ["espflash-swift"]),
    .library(name: "SPIFFS", targets: ["SPIFFS"]),
    .library(name: "ESPLoader", targets: ["ESPLoader"]),
    .library(name: "LittleFS", targets: ["LittleFS"]),
    .library(name: "Credentials", targets: ["Credentials"]),
    .library(name: "ESPFlashKit", targets: ["ESPFlashKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
  ],
  targets: [
    // System zlib: raw deflate for compressed flash writes, inflate in the virtual board.
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                   providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),

    // The commit `scripts/install` builds from, for `--version`.
    .target(name: "CBuildInfo"),

    // SPIFFS images: bytes in, bytes out. No file or device I/O, no dependencies.
    .target(name: "SPIFFS", swiftSettings: strict),

    // LittleFS images: the reader and a littlefs-faithful builder. Bytes in, bytes out, no dependencies.
    .target(name: "LittleFS", swiftSettings: strict),

    // The ROM/stub serial bootloader protocol core: SLIP, commands, replies, the loader connection (with an
    // injectable clock) and the flasher, over the `Transport` protocol. No Foundation, no crypto library.
    .target(name: "ESPLoader", dependencies: ["CZlib"], swiftSettings: strict),

    // POSIX I/O for the loader: serial ports, TCP, the sysfs port scan, and esptool's stub files (found by
    // asking Python, the one process spawned).
    .target(name: "ESPTransport", dependencies: ["ESPLoader"], swiftSettings: strict),

    // The virtual board: a ROM loader and flasher stub over simulated NOR flash.
    .target(name: "DeviceSimulator",
            dependencies: ["ESPLoader", "CZlib", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),

    // TLS credential checks, conversion and C-header embedding.
    .target(name: "Credentials",
            dependencies: [
              .product(name: "Crypto", package: "swift-crypto"),
              .product(name: "_CryptoExtras", package: "swift-crypto"),
              .product(name: "X509", package: "swift-certificates"),
              .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict),

    // The whole job as a library: data-folder walk, image pipeline, board checks, the device session,
    // upload/download/provision, safe extraction and atomic output. No printing, no exit codes: progress and
    // notes leave as events, failures as typed errors, results as Codable values.
    .target(name: "ESPFlashKit",
            dependencies: [
              "SPIFFS", "LittleFS", "ESPLoader", "ESPTransport", "DeviceSimulator", "Credentials",
              // SHA-256 of images and files in the provisioning manifest.
              .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),

    // Commands, option groups, text/JSON renderers, the progress bar and the single error funnel.
    .target(name: "ESPFlashCLI",
            dependencies: [
              "ESPFlashKit", "SPIFFS", "LittleFS", "ESPLoader", "ESPTransport", "DeviceSimulator", "Credentials", "CBuildInfo",
              .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

    .executableTarget(name: "espflash-swift", dependencies: ["ESPFlashCLI"], swiftSettings: strict),

    // examples/library-roundtrip: a folder through sim://esp32 and back using only ESPFlashKit.
    .executableTarget(name: "espflash-kit-example", dependencies: ["ESPFlashKit"], path: "examples/library-roundtrip",
                      swiftSettings: strict),

    // Prints throughput, memory and wire figures; speed targets live here, not in tests.
    .executableTarget(name: "espflash-bench",
                      dependencies: ["SPIFFS", "LittleFS", "ESPLoader", "ESPTransport", "DeviceSimulator"],
                      swiftSettings: strict),

    // Helpers every test target shares: the seeded generator, repository paths, running the built binary,
    // the interop Python, byte-run differences. A plain library so each helper is written once.
    .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),

    .testTarget(name: "SPIFFSTests",
                dependencies: ["SPIFFS", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
    .testTarget(name: "LittleFSTests",
                dependencies: ["LittleFS", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
    .testTarget(name: "ESPLoaderTests",
                dependencies: ["ESPLoader", "ESPTransport", "DeviceSimulator", "TestSupport",
                               // The in-house MD5 and SHA-256 are checked against swift-crypto's.
                               .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
    .testTarget(name: "CredentialsTests", dependencies: ["Credentials", "TestSupport"], swiftSettings: strict),
    // The workflow library in process: folder walk, pipeline, upload/download/provision on the virtual board.
    .testTarget(name: "ESPFlashKitTests",
                dependencies: ["ESPFlashKit", "SPIFFS", "LittleFS", "ESPLoader", "DeviceSimulator", "Credentials", "TestSupport"],
                swiftSettings: strict),
    .testTarget(name: "ESPFlashCLITests",
                dependencies: ["ESPFlashCLI", "ESPFlashKit", "ESPLoader", "ESPTransport", "SPIFFS", "LittleFS", "DeviceSimulator", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)
