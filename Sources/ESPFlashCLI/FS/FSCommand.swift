import ArgumentParser

/// `espflash-swift fs …`: build, inspect and check SPIFFS images.
struct FSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fs",
    abstract: "Build, list, extract and check SPIFFS images; upload them to a board and read them back.",
    discussion: """
      Layouts: --layout NAME (see `fs layouts`: ESP8266 menu names like 4M1M, 4M1M@2.5 for older cores, \
      esp32-default …), --partitions partitions.csv, or --size/--block/--platform. Reading commands detect \
      the layout when none is given. `fs upload` builds and writes the image to a board, `fs download` reads \
      the partition back (--port /dev/ttyUSB0, socket://HOST:PORT, or the virtual board sim://esp8266?…).
      """,
    subcommands: [FSBuildCommand.self, FSListCommand.self, FSExtractCommand.self, FSCatCommand.self,
                  FSCheckCommand.self, FSInfoCommand.self, FSLayoutsCommand.self, FSUploadCommand.self,
                  FSDownloadCommand.self, FSProvisionCommand.self]
  )
}
