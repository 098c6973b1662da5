import Foundation
import Testing
import TestSupport

/// Temp files a killed run left beside a cluster's outputs (issue 19): the next run removes the ones of
/// its own naming scheme whose writer is gone, and nothing else.
@Suite("Stale temp files, end to end")
struct StaleTemporaryFilesEndToEndTests {
    @Test("a run removes dead writers' temp files of its scheme, and keeps other files")
    func removesStaleTemporaryFiles() throws {
        // In a subfolder (talhelper's layout), so that temp files in both folders are seen to.
        let fixture = try RegenFixture(outputFolder: "clusterconfig")
        defer { fixture.remove() }
        // A pid that is certainly gone: a process that ran and was waited for.
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let deadPID = dead.processIdentifier
        let live = getpid()  // this test process: alive, so its temp files must stay

        let folder = fixture.folder(fixture.clusterIDs[0])
        let configs = folder.appendingPathComponent("clusterconfig")
        try FileManager.default.createDirectory(at: configs, withIntermediateDirectories: true)
        let stale = [folder.appendingPathComponent(".talconfig.rendered.yaml.tmp-\(deadPID)-1x2y-1"),
                     configs.appendingPathComponent(".talosconfig.tmp-\(deadPID)-abc-2f")]
        let kept = [folder.appendingPathComponent(".talenv.values.json.tmp-\(live)-abc-1"),  // a live writer
                    folder.appendingPathComponent(".notes.tmp-keep"),                        // another scheme
                    configs.appendingPathComponent("mine.tmp-\(deadPID)-abc-1"),             // not hidden
                    folder.appendingPathComponent(".draft.tmp-\(deadPID)-a")]                // too few parts
        for file in stale + kept { try Data("x".utf8).write(to: file) }

        let run = try fixture.regen()
        #expect(run.status == 0, "\(run.stderr)")
        for file in stale { #expect(!FileManager.default.fileExists(atPath: file.path), "\(file.lastPathComponent) left") }
        for file in kept { #expect(FileManager.default.fileExists(atPath: file.path), "\(file.lastPathComponent) removed") }
    }
}
