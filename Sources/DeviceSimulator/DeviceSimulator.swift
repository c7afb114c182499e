import ESPLoader
