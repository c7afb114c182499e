// PLACEHOLDER: the simulator helper replaces this file.
enum LoaderBench { static func run() { print("loader: not measured yet") } }
