import Foundation
import Testing
import TestSupport

/// Files a cluster's rendered talconfig names with `@file` are genconfig inputs: editing one reruns
/// genconfig of that cluster only, reverting it restores the earlier configs from the cache, and a
/// missing one fails that cluster at the reference's position without touching its outputs.
@Suite struct RegenFileReferenceTests {
    /// cluster-102's last worker gets an `@file` patch (relative to its cluster folder) through talenv.yaml.
    func fleetWithFilePatch() throws -> RegenFixture {
        let fleet = try RegenFixture()
        let patches = fleet.folder("102").appendingPathComponent("patches")
        try FileManager.default.createDirectory(at: patches, withIntermediateDirectories: true)
        try "machine:\n  sysctls:\n    net.core.somaxconn: \"1024\"\n".write(
            to: patches.appendingPathComponent("worker.yaml"), atomically: true, encoding: .utf8)
        try fleet.edit("talos/clusters/cluster-102/talenv.yaml") {
            $0.replacingOccurrences(of: "    patches:\n      - |\n", with: "    patches:\n      - \"@patches/worker.yaml\"\n      - |\n")
        }
        return fleet
    }

    func workerConfig(_ fleet: RegenFixture) throws -> String {
        try String(contentsOf: fleet.folder("102").appendingPathComponent("prod-a-prod-a-w-3.yaml"), encoding: .utf8)
    }

    @Test func editingAReferencedFileRerunsGenconfigOfThatClusterOnly() throws {
        let fleet = try fleetWithFilePatch()
        defer { fleet.remove() }
        let first = try fleet.regen()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try workerConfig(fleet).contains("net.core.somaxconn: \"1024\""))
        let rendered = try String(contentsOf: fleet.folder("102").appendingPathComponent("talconfig.rendered.yaml"), encoding: .utf8)
        #expect(rendered.contains("@patches/worker.yaml"))
        let before = try fleet.outputs()

        Thread.sleep(forTimeInterval: 0.05)
        try fleet.edit("talos/clusters/cluster-102/patches/worker.yaml") { $0.replacingOccurrences(of: "1024", with: "4096") }
        let edited = try fleet.regen()
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(edited.stages("ran") == ["102/genconfig"], "\(edited.statuses)")
        #expect(edited.stages("fresh").count == edited.statuses.count - 1)
        #expect(try workerConfig(fleet).contains("net.core.somaxconn: \"4096\""))
        let after = try fleet.outputs()
        for (path, (bytes, _)) in before where !path.hasPrefix("cluster-102/prod-a-prod-a-w-3") && !path.contains("/patches/") {
            #expect(after[path]?.0 == bytes, "\(path) changed")
        }
        let explain = try fleet.run(["explain", "102"])
        #expect(explain.stdoutString.contains("@patches/worker.yaml"), "\(explain.stdoutString)")

        try fleet.edit("talos/clusters/cluster-102/patches/worker.yaml") { $0.replacingOccurrences(of: "4096", with: "1024") }
        let reverted = try fleet.regen()
        #expect(reverted.status == 0, "\(reverted.stderr)")
        #expect(reverted.stages("ran").isEmpty, "\(reverted.statuses)")
        #expect(reverted.statuses["102/genconfig"] == "restored")
        #expect(try fleet.outputs()["cluster-102/prod-a-prod-a-w-3.yaml"]?.0
                == before["cluster-102/prod-a-prod-a-w-3.yaml"]?.0)
    }

    @Test func aMissingReferencedFileFailsItsClusterAtTheReference() throws {
        let fleet = try fleetWithFilePatch()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        let before = try fleet.outputs()
        try FileManager.default.removeItem(at: fleet.folder("102").appendingPathComponent("patches/worker.yaml"))
        let run = try fleet.regen()
        #expect(run.status != 0)
        #expect(run.statuses["102/genconfig"] == "failed")
        #expect(run.stages("ran").isEmpty, "\(run.statuses)")
        let printed = try fleet.run(["regen", "--progress", "none", "102"])
        let message = printed.stdoutString + printed.stderrString
        #expect(message.contains("cluster-102/talconfig.rendered.yaml:"), "\(message)")
        #expect(message.contains("cannot read @patches/worker.yaml"), "\(message)")
        let after = try fleet.outputs()
        for (path, (bytes, mtime)) in before where !path.contains("/patches/") {
            #expect(after[path]?.0 == bytes && after[path]?.1 == mtime, "\(path) was touched")
        }
    }
}
