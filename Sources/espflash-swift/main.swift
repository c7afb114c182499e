import ESPFlashCLI

ESPFlashCommand.runMain()
