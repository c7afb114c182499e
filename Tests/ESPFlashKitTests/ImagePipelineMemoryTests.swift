import Foundation
import SPIFFS
import Testing
import TestSupport
import ESPFlashKit

/// `retainContents` off: files are read again while packing; the image and the reported sizes do not change.
@Suite struct ImagePipelineMemoryTests {
  @Test func rereadingWhilePackingBuildsTheSameImage() throws {
    let data = Repository.testdata("spiffs/input/basic").path
    guard let preset = SPIFFSLayoutPresets.named("4M1M") else { Issue.record("no 4M1M preset"); return }
    for format in [SPIFFSImageFormat.compact, .mkspiffs] {
      var options = ImagePipeline.Options(dataDir: data, preset: preset, format: format)
      let kept = try ImagePipeline(options: options).run()
      options.retainContents = false
      let lean = try ImagePipeline(options: options).run()
      #expect(lean.result.image == kept.result.image, "\(format)")
      #expect(lean.files.map(\.size) == kept.files.map(\.size))
      #expect(lean.files.map(\.displayName) == kept.files.map(\.displayName))
      // Only the certificates and keys (the credential check reads them) keep their bytes.
      let held = lean.files.filter { !$0.contents.isEmpty }.map(\.displayName)
      #expect(held.allSatisfy { $0.hasPrefix("/certs/") } && !held.isEmpty, "\(held)")
    }
  }

  @Test func aFileChangedOrRemovedBeforeItIsPackedIsRefused() throws {
    guard let preset = SPIFFSLayoutPresets.named("4M1M") else { Issue.record("no 4M1M preset"); return }
    for remove in [false, true] {
      let root = try ScratchFolder.make()
      defer { try? FileManager.default.removeItem(at: root) }
      let copy = root.appendingPathComponent("data")
      try FileManager.default.copyItem(at: Repository.testdata("spiffs/input/basic"), to: copy)
      var options = ImagePipeline.Options(dataDir: copy.path, preset: preset)
      options.retainContents = false
      // The credential check runs after every file was read once and before packing reads them again.
      let target = copy.appendingPathComponent("config.json").path
      let pipeline = ImagePipeline(options: options, events: { event in
        guard case .credentialsChecked = event else { return }
        if remove {
          try? FileManager.default.removeItem(atPath: target)
        } else {
          _ = FileManager.default.createFile(atPath: target, contents: Data("{}".utf8))
        }
      })
      if remove {
        #expect(throws: FileAccessError.noSuchFile(path: target)) { try pipeline.run() }
      } else {
        #expect(throws: SPIFFSBuildError.fileChanged(name: "/config.json", plannedBytes: 409, actualBytes: 2)) {
          try pipeline.run()
        }
      }
    }
  }
}
