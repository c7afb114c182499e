// espflash-bench [spiffs|spiffs-cli|littlefs|loader|transfer|all]: prints throughput, memory and wire figures. Build with
// -c release (and the espflash-swift product too, for spiffs-cli).
let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "spiffs" || which == "all" { SPIFFSBench.run() }
if which == "spiffs-cli" || which == "all" { SPIFFSCLIBench.run() }
if which == "littlefs" || which == "all" { LittleFSBench.run() }
if which == "loader" || which == "all" { LoaderBench.run() }
if which == "transfer" || which == "all" { TransferBench.run() }
