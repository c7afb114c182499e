print("espflash-bench: no benchmarks yet")
