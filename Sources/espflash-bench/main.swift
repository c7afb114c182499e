// espflash-bench [spiffs|loader|transfer|all]: prints throughput, memory and wire figures. Build with -c release.
let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "spiffs" || which == "all" { SPIFFSBench.run() }
if which == "loader" || which == "all" { LoaderBench.run() }
if which == "transfer" || which == "all" { TransferBench.run() }
