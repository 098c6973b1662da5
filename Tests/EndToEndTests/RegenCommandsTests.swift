import Foundation
import Testing
import TestSupport

/// The runner's smaller commands: render <id>, validate, graph, schematic id, --trace, exit statuses.
@Suite struct RegenCommandsTests {
    @Test func renderPrintsWhatRegenWrites() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        for id in fleet.clusterIDs {
            let printed = try fleet.run(["render", id])
            #expect(printed.status == 0, "\(printed.stderrString)")
            #expect(printed.stdout == (try Data(contentsOf: fleet.folder(id).appendingPathComponent("talconfig.rendered.yaml"))))
            let schematic = try fleet.run(["render", "cluster-\(id)", "--schematic"])
            #expect(schematic.stdout == (try Data(contentsOf: fleet.folder(id).appendingPathComponent("schematic.yaml"))))
        }
    }

    @Test func validateReportsAndExits() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let ok = try fleet.run(["validate", "101", "cluster-102", "103"])
        #expect(ok.status == 0, "\(ok.stderrString)")
        let bad = fleet.root.appendingPathComponent("bad.yaml")
        try "clusterName: x\nendpoint: https://x:6443\ntalosVersion: v1.11.5\nkubernetesVersion: v1.34.1\nnodes: {}\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let failed = try fleet.run(["validate", "--file", "bad.yaml"])
        #expect(failed.status != 0)
        #expect(failed.stderrString.contains("bad.yaml:5:8: error: `nodes`: expected a list"), "\(failed.stderrString)")
    }

    @Test func schematicIDsMatchTheImageFactoryVectors() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let file = fleet.root.appendingPathComponent("schematic.yaml")
        try "customization:\n  extraKernelArgs: [noapic, nolapic]\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try fleet.run(["schematic", "id", file.path])
        #expect(result.stdoutString == "9cba8e32753f91a16c1837ab8abf356af021706ef284aef07380780177d9a06c\n")
    }

    @Test func graphAndTraceAreWellFormed() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let dot = try fleet.run(["graph", "--all"])
        #expect(dot.status == 0)
        #expect(dot.stdoutString.hasPrefix("digraph talos_batch {"))
        #expect(dot.stdoutString.contains("\"101/validate\" -> \"101/render\""))
        let json = try fleet.run(["graph", "101", "--format", "json"])
        let graph = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        #expect((graph?["nodes"] as? [Any])?.isEmpty == false)

        let trace = fleet.root.appendingPathComponent("trace.json")
        let run = try fleet.run(["regen", "--all", "--progress", "none", "--trace", trace.path])
        #expect(run.status == 0)
        let events = try JSONSerialization.jsonObject(with: Data(contentsOf: trace)) as? [String: Any]
        let spans = (events?["traceEvents"] as? [[String: Any]] ?? []).filter { $0["ph"] as? String == "X" }
        let statuses = try fleet.regen().statuses
        #expect(spans.count == statuses.count)
    }

    @Test func unknownClustersAndBadShardsAreUsageErrors() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.run(["regen", "999"]).status != 0)
        #expect(try fleet.run(["regen", "--all", "--shard", "4/3"]).status != 0)
        #expect(try fleet.run(["regen"]).status != 0)
    }

    @Test func keepGoingByDefaultFailFastOnRequest() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        try fleet.edit("talos/clusters/cluster-101/talenv.yaml") { $0.replacingOccurrences(of: "https://", with: "http://") }
        let keepGoing = try fleet.regen(["--all", "--jobs", "1"])
        #expect(keepGoing.status != 0)
        #expect(keepGoing.statuses["101/validate"] == "failed")
        #expect(keepGoing.statuses.filter { !$0.key.hasPrefix("101/") }.values.allSatisfy { $0 == "ran" })

        let other = try RegenFixture()
        defer { other.remove() }
        try other.edit("talos/clusters/cluster-101/talenv.yaml") { $0.replacingOccurrences(of: "https://", with: "http://") }
        let failFast = try other.regen(["--all", "--jobs", "1", "--fail-fast"])
        #expect(failFast.status != 0)
        #expect(failFast.statuses["101/validate"] == "failed")
        #expect(failFast.stages("ran").isEmpty, "\(failFast.statuses)")
        #expect(failFast.stderr.contains("talos/clusters/cluster-101/talenv.yaml:3:11: error:"))
    }

    @Test func aRemovedNodeLosesItsConfigFile() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        let config = fleet.folder("102").appendingPathComponent("prod-a-prod-a-w-3.yaml")
        #expect(FileManager.default.fileExists(atPath: config.path))
        try fleet.edit("talos/clusters/cluster-102/talenv.yaml") { text in
            // Drop the last node (prod-a-w-3 and everything under it).
            String(text[..<text.range(of: "  - hostname: prod-a-w-3")!.lowerBound])
        }
        let run = try fleet.regen()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: config.path))
        #expect(FileManager.default.fileExists(atPath: fleet.folder("102").appendingPathComponent("prod-a-prod-a-w-2.yaml").path))
    }
}
