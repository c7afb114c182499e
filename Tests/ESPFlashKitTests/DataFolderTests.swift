import Foundation
import SPIFFS
import Testing
import TestSupport
import ESPFlashKit

/// Folder walking order and skipping, and extraction path planning.
@Suite struct FSFolderTests {
  @Test(arguments: [("basic", "esp8266_4M1M_basic"), ("basic", "esp32_default_basic"), ("small", "esp8266_1M128_small"),
                    ("gcfill", "esp8266_1M128_gcfill")])
  func walkOrderIsTheOrderTheReferenceImagesWereBuiltWith(_ folder: String, _ image: String) throws {
    let expected = try String(contentsOf: Repository.testdata("spiffs").appendingPathComponent("expected/\(image).order.txt"),
                              encoding: .utf8).split(separator: "\n").map(String.init)
    let walk = try DataFolder.walk(Repository.testdata("spiffs/input/\(folder)").path, includeHidden: false)
    #expect(walk.files.map(\.displayName) == expected)
    #expect(walk.skipped.isEmpty)
  }

  @Test func skipsWhatMkspiffsSkipsUnlessAskedAndFollowsFileSymlinks() throws {
    let root = try ScratchFolder.make()
    defer { try? FileManager.default.removeItem(at: root) }
    let fm = FileManager.default
    for name in [".DS_Store", ".gitignore", ".gitmodules", ".other", "b.txt"] {
      _ = fm.createFile(atPath: root.appendingPathComponent(name).path, contents: Data(name.utf8))
    }
    try fm.createDirectory(at: root.appendingPathComponent(".git/objects"), withIntermediateDirectories: true)
    _ = fm.createFile(atPath: root.appendingPathComponent(".git/HEAD").path, contents: Data("ref".utf8))
    try fm.createSymbolicLink(atPath: root.appendingPathComponent("a-link.txt").path, withDestinationPath: "b.txt")
    try fm.createSymbolicLink(atPath: root.appendingPathComponent("dangling").path, withDestinationPath: "nowhere")

    let plain = try DataFolder.walk(root.path, includeHidden: false)
    #expect(plain.files.map(\.displayName) == ["/.other", "/a-link.txt", "/b.txt"])
    #expect(plain.files[1].size == 5)
    #expect(Set(plain.skipped.map { URL(fileURLWithPath: $0.path).lastPathComponent })
            == [".DS_Store", ".git", ".gitignore", ".gitmodules", "dangling"])
    let all = try DataFolder.walk(root.path, includeHidden: true)
    #expect(all.files.map(\.displayName) == ["/.DS_Store", "/.git/HEAD", "/.gitignore", "/.gitmodules", "/.other",
                                             "/a-link.txt", "/b.txt"])
  }

  @Test func aSymlinkLoopIsRefused() throws {
    let root = try ScratchFolder.make()
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("sub/up").path,
                                               withDestinationPath: "..")
    #expect { try DataFolder.walk(root.path, includeHidden: false) } throws: { error in
      guard case .symlinkLoop(let path) = error as? FolderError else { return false }
      return path.hasSuffix("sub/up")
    }
  }

  @Test func anOrderFileMustListExactlyTheFiles() throws {
    let files = try DataFolder.walk(Repository.testdata("spiffs/input/gcfill").path, includeHidden: false).files
    let reversed = files.reversed().map(\.displayName).joined(separator: "\n") + "\n"
    #expect(try DataFolder.applyOrder(files, orderText: reversed, orderPath: "o").map(\.displayName)
            == files.reversed().map(\.displayName))
    // Without the leading slash, with blank lines and CRLF.
    let loose = files.map { String($0.displayName.dropFirst()) }.joined(separator: "\r\n\n")
    #expect(try DataFolder.applyOrder(files, orderText: loose, orderPath: "o") == files)
    let missingOne = files.dropLast().map(\.displayName).joined(separator: "\n")
    #expect(throws: FolderError.orderMismatch(orderFile: "o", missing: ["/readme.txt"], unknown: [], duplicates: [])) {
      try DataFolder.applyOrder(files, orderText: missingOne, orderPath: "o")
    }
    #expect(throws: FolderError.orderMismatch(orderFile: "o", missing: [], unknown: ["/extra.bin"], duplicates: [])) {
      try DataFolder.applyOrder(files, orderText: reversed + "/extra.bin\n", orderPath: "o")
    }
    #expect(throws: FolderError.orderMismatch(orderFile: "o", missing: [], unknown: [], duplicates: ["/f00.bin"])) {
      try DataFolder.applyOrder(files, orderText: reversed + "/f00.bin\n", orderPath: "o")
    }
  }

  @Test func extractPathsStayInsideTheFolder() {
    func plan(_ s: String) -> ExtractPaths.Outcome { ExtractPaths.plan(Array(s.utf8)) }
    #expect(plan("/www/css/style.css") == .safe(components: ["www", "css", "style.css"], changes: []))
    #expect(plan("/www/ümlaut file.txt") == .safe(components: ["www", "ümlaut file.txt"], changes: []))
    #expect(plan("/../evil") == .refused(reason: "the name contains a '..' component"))
    #expect(plan("/a/../../b") == .refused(reason: "the name contains a '..' component"))
    #expect(plan("/./x") == .refused(reason: "the name contains a '.' component"))
    #expect(plan("//abs/x") == .safe(components: ["abs", "x"], changes: ["empty path components removed"]))
    #expect(plan("/") == .refused(reason: "the name has no file name part"))
    #expect(plan("") == .refused(reason: "the name has no file name part"))
    #expect(plan("rel") == .safe(components: ["rel"], changes: ["no leading /"]))
    #expect(plan("/a\u{1}b") == .safe(components: ["a_b"], changes: ["control characters or backslashes replaced with _"]))
    #expect(ExtractPaths.plan([0x2F, 0x61, 0xFF, 0x62]) == .safe(components: ["a_b"], changes: ["invalid UTF-8 replaced with _"]))
    #expect(plan("/..x/y..") == .safe(components: ["..x", "y.."], changes: []))
  }
}

@Suite struct FSExampleFolderTests {
  @Test func theAWSIoTExampleFitsSPIFFSNames() throws {
    let folder = Repository.root.appendingPathComponent("examples/aws-iot/data").path
    let walk = try DataFolder.walk(folder, includeHidden: false)
    #expect(walk.files.map(\.displayName) == ["/ca.pem", "/cert.pem", "/config.json", "/index.html", "/private.key.pem"])
    #expect(walk.files.allSatisfy { $0.spiffsName.count <= 31 })
  }
}
