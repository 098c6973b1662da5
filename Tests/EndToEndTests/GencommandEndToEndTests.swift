import Foundation
import Testing
import TestSupport

/// `gencommand` and `mark-applied` on a temporary copy of the example fleet, through the built binary.
@Suite struct GencommandEndToEndTests {
    /// "# cluster-…" headers left out: the talosctl lines only.
    static func lines(_ result: ProcessResult) -> [String] {
        result.stdoutString.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    @Test func printsTalhelpersLinesWithEachClustersPaths() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let early = try fleet.run(["gencommand", "apply", "101"])
        #expect(early.status != 0)
        #expect(early.stderrString.contains("talos/clusters/cluster-101/talconfig.rendered.yaml does not exist; run `talos-batch regen 101` first"),
                "\(early.stderrString)")
        #expect(try fleet.regen().status == 0)

        let apply = try fleet.run(["gencommand", "apply", "101"])
        #expect(apply.status == 0, "\(apply.stderrString)")
        #expect(apply.stdoutString == """
            # cluster-101
            talosctl apply-config --talosconfig=talos/clusters/cluster-101/talosconfig --nodes=10.10.1.10 \
            --file=talos/clusters/cluster-101/lab-lab-1.yaml;

            """)
        let bootstrap = try fleet.run(["gencommand", "bootstrap", "--all", "--extra-flags", "--timeout=5m"])
        #expect(Self.lines(bootstrap) == [
            "talosctl bootstrap --talosconfig=talos/clusters/cluster-101/talosconfig --timeout=5m --nodes=10.10.1.10;",
            "talosctl bootstrap --talosconfig=talos/clusters/cluster-102/talosconfig --timeout=5m --nodes=10.20.0.11;",
            "talosctl bootstrap --talosconfig=talos/clusters/cluster-103/talosconfig --timeout=5m --nodes=10.30.0.11;",
        ], "\(bootstrap.stdoutString)")
        // A node of one cluster: the other clusters print nothing; a node of none is an error.
        let one = try fleet.run(["gencommand", "reset", "--all", "-n", "prod-a-w-3", "--extra-flags", "--graceful=false,--reboot"])
        #expect(Self.lines(one) == [
            "talosctl reset --talosconfig=talos/clusters/cluster-102/talosconfig --nodes=10.20.0.23 --graceful=false --reboot;",
        ])
        let missing = try fleet.run(["gencommand", "apply", "--all", "--node", "nope"])
        #expect(missing.status != 0 && missing.stdout.isEmpty)
        #expect(missing.stderrString.contains("node with IP or hostname nope not found"))
        let worker = try fleet.run(["gencommand", "upgrade-k8s", "--all", "-n", "prod-a-w-1"])
        #expect(worker.status != 0 && worker.stdout.isEmpty)
        #expect(worker.stderrString.contains("cluster-102/talconfig.rendered.yaml: node with hostname prod-a-w-1 is not a controlplane node"))
        #expect(try fleet.run(["gencommand", "bootstrap", "--all", "--changed"]).status != 0)
        #expect(try fleet.run(["gencommand", "frobnicate", "--all"]).status != 0)

        let json = try fleet.run(["gencommand", "upgrade", "102", "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let commands = try #require(document["commands"] as? [[String: Any]])
        #expect(commands.count == 6)
        #expect(commands.first?["node"] as? String == "prod-a-cp-1")
        #expect(commands.first?["command"] as? String == "upgrade")
        let argv = try #require(commands.first?["argv"] as? [String])
        #expect(argv.prefix(3) == ["talosctl", "upgrade", "--talosconfig=talos/clusters/cluster-102/talosconfig"])
        // The template sets talosImageURL to the factory installer of the cluster's schematic: talhelper adds `:<version>`.
        let schematic = try fleet.run(["schematic", "id", fleet.folder("102").appendingPathComponent("schematic.yaml").path])
        let id = schematic.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(argv.last == "--image=factory.talos.dev/installer/\(id):v1.11.5")
        #expect(commands.first?["line"] as? String == "talosctl " + argv.dropFirst().joined(separator: " ") + ";")
    }

    @Test func applyChangedListsExactlyTheChangedNodesAndNoneAfterMarkApplied() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        let everything = Self.lines(try fleet.run(["gencommand", "apply", "--all"]))
        #expect(everything.count == 1 + 6 + 4)
        // Nothing marked yet: every node is changed.
        #expect(Self.lines(try fleet.run(["gencommand", "apply", "--all", "--changed"])) == everything)

        let marked = try fleet.run(["mark-applied", "--all"])
        #expect(marked.status == 0, "\(marked.stderrString)")
        for id in fleet.clusterIDs {
            let state = fleet.folder(id).appendingPathComponent(".talos-batch-applied.json")
            let mode = try FileManager.default.attributesOfItem(atPath: state.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        let none = try fleet.run(["gencommand", "apply", "--all", "--changed"])
        #expect(none.status == 0 && none.stdout.isEmpty)
        #expect(none.stderrString.contains("no node changed"))
        // The state file is no input of any stage: regen stays a no-op.
        #expect(try fleet.regen().stages("ran").isEmpty)

        // One node's label: exactly that node.
        try fleet.edit("talos/clusters/cluster-102/talenv.yaml") {
            $0.replacingOccurrences(of: "storage.example.com/tier: fast", with: "storage.example.com/tier: slow")
        }
        #expect(try fleet.regen().status == 0)
        let changed = try fleet.run(["gencommand", "apply", "--all", "--changed"])
        #expect(changed.stdoutString == """
            # cluster-102
            talosctl apply-config --talosconfig=talos/clusters/cluster-102/talosconfig --nodes=10.20.0.23 \
            --file=talos/clusters/cluster-102/prod-a-prod-a-w-3.yaml;

            """)

        // A plan whose file changed again before mark-applied is refused, and nothing is recorded.
        let planFile = fleet.root.appendingPathComponent("plan.json")
        let plan = try fleet.run(["gencommand", "apply", "--all", "--changed", "--format", "json"])
        try plan.stdout.write(to: planFile)
        let entries = try #require((try JSONSerialization.jsonObject(with: plan.stdout) as? [String: Any])?["commands"] as? [[String: Any]])
        #expect(entries.map { $0["node"] as? String } == ["prod-a-w-3"])
        #expect((entries.first?["sha256"] as? String)?.count == 64)
        let stateBefore = try Data(contentsOf: fleet.folder("102").appendingPathComponent(".talos-batch-applied.json"))
        try fleet.edit("talos/clusters/cluster-102/talenv.yaml") {
            $0.replacingOccurrences(of: "storage.example.com/tier: slow", with: "storage.example.com/tier: medium")
        }
        #expect(try fleet.regen().status == 0)
        let stale = try fleet.run(["mark-applied", "--all", "--plan", planFile.path])
        #expect(stale.status != 0)
        #expect(stale.stderrString.contains("prod-a-prod-a-w-3.yaml changed after the plan was made"), "\(stale.stderrString)")
        #expect(try Data(contentsOf: fleet.folder("102").appendingPathComponent(".talos-batch-applied.json")) == stateBefore)
        #expect(Self.lines(try fleet.run(["gencommand", "apply", "--all", "--changed"])).count == 1)

        // A fresh plan, applied and marked: none left, and the plan recorded only its own node.
        let fresh = try fleet.run(["gencommand", "apply", "--all", "--changed", "--format", "json"])
        try fresh.stdout.write(to: planFile)
        let recorded = try fleet.run(["mark-applied", "--all", "--plan", planFile.path])
        #expect(recorded.status == 0, "\(recorded.stderrString)")
        #expect(recorded.stdoutString.contains("1 node(s)"), "\(recorded.stdoutString)")
        #expect(try fleet.run(["gencommand", "apply", "--all", "--changed"]).stdout.isEmpty)

        // mark-applied -n: one node of a two-node change.
        try fleet.edit("talos/clusters/cluster-102/talenv.yaml") {
            $0.replacingOccurrences(of: "site-a-3", with: "site-a-4")
        }
        #expect(try fleet.regen().status == 0)
        #expect(Self.lines(try fleet.run(["gencommand", "apply", "102", "--changed"])).count == 2)
        #expect(try fleet.run(["mark-applied", "102", "-n", "10.20.0.13"]).status == 0)
        let left = Self.lines(try fleet.run(["gencommand", "apply", "102", "--changed"]))
        #expect(left.count == 1 && left[0].contains("--nodes=10.20.0.23"), "\(left)")
        let unknown = try fleet.run(["mark-applied", "--all", "-n", "nope"])
        #expect(unknown.status != 0 && unknown.stderrString.contains("node with IP or hostname nope not found"))
    }

    @Test func aCorruptStateFileIsAnErrorNamingIt() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen(["101"]).status == 0)
        try "{oops".write(to: fleet.folder("101").appendingPathComponent(".talos-batch-applied.json"), atomically: true, encoding: .utf8)
        let result = try fleet.run(["gencommand", "apply", "101", "--changed"])
        #expect(result.status != 0 && result.stdout.isEmpty)
        #expect(result.stderrString.contains("talos/clusters/cluster-101/.talos-batch-applied.json:1:1: error:"), "\(result.stderrString)")
    }
}
