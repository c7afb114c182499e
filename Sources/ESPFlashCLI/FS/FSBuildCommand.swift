import ArgumentParser
import ESPFlashKit
import SPIFFS

/// `fs build DATA_DIR -o OUT.bin`: the Arduino "Sketch Data Upload" image step, scriptable.
struct FSBuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract: "Build a SPIFFS image from a data folder.",
    discussion: """
      Files are packed in a defined order: each folder's entries sorted by name bytes, depth first (mkspiffs uses \
      whatever order the OS returns). .DS_Store, .git, .gitignore and .gitmodules are skipped like mkspiffs does. \
      Certificates and keys in the folder are checked like `certs check` (for the layout's platform, or \
      --cert-target): errors stop the build with exit 65 before an image is written, warnings are printed. \
      --der stores PEM certificates/keys as DER, --rename FROM=TO picks stored names; the folder is not changed.
      Examples:
        espflash-swift fs build data -o data.spiffs.bin --layout 4M1M
        espflash-swift fs build data -o spiffs.bin --partitions partitions.csv \\
          --format mkspiffs
        espflash-swift fs build data -o data.spiffs.bin --layout 4M1M --der \\
          --rename cert.pem.crt=cert.der
        espflash-swift fs build MySketch -o spiffs.bin --fqbn \\
          esp8266:esp8266:nodemcuv2
      """)

  @Argument(help: "The data folder (its contents become /…), or a sketch folder (its data/ is packed).")
  var dataDir: String

  @Option(name: [.short, .customLong("output")], help: "The image file to write.")
  var output: String

  @OptionGroup var layoutOptions: FSLayoutOptions

  @OptionGroup var packing: FSPackingOptions

  @Flag(help: "Print the result as JSON on stdout.")
  var json = false

  @OptionGroup(title: "Certificates and keys") var credentialOptions: FSCredentialOptions

  func run() throws {
    let project = try layoutOptions.project(dataArgument: dataDir)
    let preset = try project.requirePreset()
    var resolved = self
    resolved.dataDir = project.dataDir
    try resolved.build(preset: preset)
  }

  private func build(preset: SPIFFSLayoutPreset) throws {
    var options = packing.pipelineOptions(dataDir: dataDir, preset: preset,
                                          credentials: try credentialOptions.handling())
    if packing.fileSystem == .littlefs {
      try buildLittleFS(packing.littlefsOptions(options), preset: preset)
      return
    }
    // Only names and sizes are reported: files are read again while packing instead of all held at once.
    options.retainContents = false
    let built = try ImagePipeline(options: options, events: CLIEvents().handler).run()
    try HostFiles.writeAtomically(built.image, to: output)
    let offset = preset.knownFlashOffset
    if json {
      try Console.json(ImageBuildReport(built, dataDir: dataDir, preset: preset, output: output))
    } else {
      for file in built.files { Console.print(file.displayName) }
    }
    for line in ImageRenderer.summaryNotes(built, dataDir: dataDir, preset: preset, offset: offset, image: output) {
      Console.note(line)
    }
    if let offset {
      Console.note("flash it with: espflash-swift write-flash \(Hex.address(offset)) \(output)")
    }
  }
}
