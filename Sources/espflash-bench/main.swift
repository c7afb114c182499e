// espflash-bench [spiffs|littlefs|loader|all]: prints throughput, memory and wire figures. Build with -c release.
let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "spiffs" || which == "all" { SPIFFSBench.run() }
if which == "littlefs" || which == "all" { LittleFSBench.run() }
if which == "loader" || which == "all" { LoaderBench.run() }
