import Foundation
import SPIFFS
#if canImport(Glibc)
import Glibc
#endif

/// `fs build`, `fs ls` and `fs extract` as a user runs them: the `espflash-swift` binary next to this one, on the
/// issue-13 workload (2,000 files, ~9.4 MB, in 16M14M), median wall time of 7 runs and peak resident memory
/// (the child's ru_maxrss). Targets: `fs ls` and `fs extract` at least as fast as `mkspiffs -l` / `-u`; build
/// peak ≤ the binary's own `--help` peak + 1.5 × the image. When `mkspiffs` is on PATH it is timed on the same
/// image; otherwise the issue's figures for it are printed as such.
enum SPIFFSCLIBench {
  static func run() {
    print("== SPIFFS commands (espflash-swift binary) ==")
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("espflash-swift").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
      print("espflash-swift not found next to espflash-bench (\(binary)); build it with the same configuration")
      return
    }
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("espflash-bench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: work) }
    let data = work.appendingPathComponent("data"), image = work.appendingPathComponent("image.bin").path
    do {
      try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
      let tree = SPIFFSBench.generatedTree(files: 2000, totalBytes: 9_400_000)
      for file in tree {
        let url = data.appendingPathComponent(String(file.name.dropFirst()))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(file.contents).write(to: url)
      }
      let bytes = tree.reduce(0) { $0 + $1.contents.count }
      print("tree: \(tree.count) files, \(bytes) bytes, layout 16M14M (\(0xDFA000) bytes)")
    } catch {
      print("cannot write the tree: \(error)")
      return
    }
    let help = measure([binary, "--help"])
    print("--help: peak \(mib(help.peakKiB)) MiB (baseline)")
    let build = measure([binary, "fs", "build", data.path, "-o", image, "--layout", "16M14M"])
    let limitKiB = help.peakKiB + 0xDFA000 * 3 / 2 / 1024
    print("fs build: \(seconds(build.seconds)) s, peak \(mib(build.peakKiB)) MiB (target ≤ \(mib(limitKiB)) MiB = "
      + "baseline + 1.5 × image) \(build.peakKiB <= limitKiB ? "ok" : "OVER") [exit \(build.status)]")
    let ls = median(7) { measure([binary, "fs", "ls", image]) }
    print("fs ls: median \(seconds(ls.seconds)) s, peak \(mib(ls.peakKiB)) MiB [exit \(ls.status)]")
    let out = work.appendingPathComponent("out").path
    let extract = median(7) { () -> Run in
      try? FileManager.default.removeItem(atPath: out)
      return measure([binary, "fs", "extract", image, out])
    }
    print("fs extract: median \(seconds(extract.seconds)) s, peak \(mib(extract.peakKiB)) MiB [exit \(extract.status)]")

    if let mkspiffs = which("mkspiffs") {
      let args = ["-p", "256", "-b", "8192", "-s", String(0xDFA000)]
      let list = median(7) { measure([mkspiffs, "-l"] + args + [image]) }
      let unpack = median(7) { () -> Run in
        try? FileManager.default.removeItem(atPath: out)
        return measure([mkspiffs, "-u", out] + args + [image])
      }
      print("mkspiffs -l: median \(seconds(list.seconds)) s; mkspiffs -u: median \(seconds(unpack.seconds)) s")
    } else {
      print("mkspiffs not on PATH; the issue's figures (same workload, another run): -l 0.021 s, -u 0.45 s, "
        + "build 6.08 s at 17 MiB peak")
    }
  }

  struct Run {
    var seconds: Double
    var peakKiB: Int
    var status: Int32
  }

  /// Runs `argv` with stdout and stderr to /dev/null; wall time and the child's peak RSS.
  static func measure(_ argv: [String]) -> Run {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }
    let start = DispatchTime.now()
    guard posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else { return Run(seconds: 0, peakKiB: 0, status: -1) }
    var status: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &status, 0, &usage)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return Run(seconds: elapsed, peakKiB: usage.ru_maxrss, status: (status >> 8) & 0xFF)
  }

  /// The run with the median time of `count`.
  static func median(_ count: Int, _ body: () -> Run) -> Run {
    let runs = (0..<count).map { _ in body() }.sorted { $0.seconds < $1.seconds }
    return runs[count / 2]
  }

  static func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
      let path = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  static func seconds(_ s: Double) -> String { String(format: "%.3f", s) }
  static func mib(_ kib: Int) -> String { String(format: "%.1f", Double(kib) / 1024) }
}
