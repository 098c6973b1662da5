import Foundation
import Testing
import TestSupport

/// `talos-batch diff` on a temporary copy of the example fleet, through the built binary.
@Suite struct DiffEndToEndTests {
    static func diff(_ fleet: RegenFixture, _ arguments: [String]) throws -> ProcessResult {
        let result = try fleet.run(["diff", "--cache-dir", fleet.cacheDir.path] + arguments)
        #expect(result.status == 0, "\(result.stderrString)")
        return result
    }

    /// The changed lines (`+`/`-`, headers excluded) of a diff output.
    static func changedLines(_ output: String) -> [String] {
        output.split(separator: "\n").map(String.init)
            .filter { ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++ ") && !$0.hasPrefix("--- ") }
    }

    /// The files a diff output names.
    static func files(_ output: String) -> [String] {
        output.split(separator: "\n").filter { $0.hasPrefix("+++ b/") }.map { String($0.dropFirst("+++ b/".count)) }
    }

    /// Every scalar value of the cluster's decrypted secrets bundle (through `talos-batch decrypt`).
    static func bundleValues(_ fleet: RegenFixture, _ id: String) throws -> [String] {
        let decrypted = try fleet.run(["decrypt", "--age-key-file", "talos/demo/age-key.txt",
                                       "talos/clusters/cluster-\(id)/talsecret.sops.yaml"])
        #expect(decrypted.status == 0, "\(decrypted.stderrString)")
        let values = decrypted.stdoutString.split(separator: "\n").compactMap { line -> String? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            return value.isEmpty ? nil : value
        }
        #expect(values.count >= 10, "the bundle of cluster-\(id) should hold its CAs, keys and tokens")
        return values
    }

    static func expectNoSecret(_ output: String, _ values: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for value in values where value.count >= 6 {
            #expect(!output.contains(value), "a secrets-bundle value appears in the diff output", sourceLocation: sourceLocation)
        }
    }

    @Test func oneLabelEditShowsExactlyThatNodesLabelLines() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        // A first generation has nothing before it.
        #expect(try Self.diff(fleet, ["--all"]).stdout.isEmpty)

        try fleet.edit("talos/clusters/cluster-102/talenv.yaml") {
            $0.replacingOccurrences(of: "storage.example.com/tier: fast", with: "storage.example.com/tier: slow")
        }
        let summary = fleet.root.appendingPathComponent("summary.md")
        #expect(try fleet.regen(["--all", "--summary-markdown", summary.path]).status == 0)
        // The regen summary carries the --stat roll-up.
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        #expect(markdown.contains("**Changed outputs (`talos-batch diff --stat`): 2 file(s), +2 -2**"), "\(markdown)")
        #expect(markdown.contains("| `cluster-102/prod-a-prod-a-w-3.yaml` | 1 | 1 |"), "\(markdown)")
        let output = try Self.diff(fleet, ["--all"]).stdoutString
        #expect(Self.files(output) == ["cluster-102/prod-a-prod-a-w-3.yaml", "cluster-102/talconfig.rendered.yaml"]
                || Self.files(output) == ["cluster-102/talconfig.rendered.yaml", "cluster-102/prod-a-prod-a-w-3.yaml"],
                "\(output)")
        let changed = Self.changedLines(output)
        #expect(changed.count == 4, "\(output)")
        #expect(changed.allSatisfy { $0.contains("storage.example.com/tier") }, "\(output)")
        #expect(changed.filter { $0.hasPrefix("-") }.allSatisfy { $0.hasSuffix("fast") || $0.hasSuffix("fast\"") })
        #expect(changed.filter { $0.hasPrefix("+") }.allSatisfy { $0.hasSuffix("slow") || $0.hasSuffix("slow\"") })
        #expect(output.contains("--- a/cluster-102/prod-a-prod-a-w-3.yaml\n+++ b/cluster-102/prod-a-prod-a-w-3.yaml\n@@ -"))
        // Only the selected cluster; and 101 alone shows nothing.
        #expect(try Self.diff(fleet, ["102"]).stdoutString == output)
        #expect(try Self.diff(fleet, ["101"]).stdout.isEmpty)

        let stat = try Self.diff(fleet, ["--all", "--stat"]).stdoutString
        #expect(stat.contains(" cluster-102/prod-a-prod-a-w-3.yaml | +1 -1\n"), "\(stat)")
        #expect(stat.hasSuffix(" 2 file(s) changed, 2 insertion(s)(+), 2 deletion(s)(-)\n"), "\(stat)")
        let json = try Self.diff(fleet, ["--all", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(document["changedFiles"] as? Int == 2)
        let files = try #require(document["files"] as? [[String: Any]])
        #expect(Set(files.compactMap { $0["cluster"] as? String }) == ["cluster-102"])
        #expect(files.allSatisfy { $0["previous"] as? Bool == true && ($0["diff"] as? String)?.contains("@@ -") == true })

        // --against: the same tree is no change; a tree with one config edited shows that file.
        let copy = fleet.root.appendingPathComponent("other-clusters")
        try FileManager.default.copyItem(at: fleet.root.appendingPathComponent("talos/clusters"), to: copy)
        #expect(try Self.diff(fleet, ["--all", "--against", copy.path]).stdout.isEmpty)
        let other = copy.appendingPathComponent("cluster-101/talconfig.rendered.yaml")
        let text = try String(contentsOf: other, encoding: .utf8)
        try (text + "# extra\n").write(to: other, atomically: true, encoding: .utf8)
        let against = try Self.diff(fleet, ["--all", "--against", copy.path]).stdoutString
        #expect(Self.files(against) == ["cluster-101/talconfig.rendered.yaml"])
        #expect(Self.changedLines(against) == ["-# extra"], "\(against)")

        // The hunks are GNU diff's: several edits to a file without secret lines, compared with `diff -u`.
        var edited = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        edited.remove(at: 2)
        edited[9] += " # changed"
        edited.insert(contentsOf: ["# one", "# two"], at: edited.count - 4)
        edited.insert("# first", at: 0)
        try edited.joined(separator: "\n").write(to: other, atomically: true, encoding: .utf8)
        let mine = try Self.diff(fleet, ["101", "--against", copy.path]).stdoutString
        let name = "cluster-101/talconfig.rendered.yaml"
        let gnu = try runProcess(URL(fileURLWithPath: "/usr/bin/diff"),
                                 ["-u", "--label", "a/" + name, "--label", "b/" + name, other.path,
                                  fleet.folder("101").appendingPathComponent("talconfig.rendered.yaml").path],
                                 environment: [:], currentDirectory: fleet.root)
        #expect(gnu.status == 1)
        #expect(mine == gnu.stdoutString)
    }

    @Test func aTemplateChangeShowsEveryNodeAndNoSecretValue() throws {
        let fleet = try RegenFixture(outputFolder: "clusterconfig")  // diff reviews a subfolder too
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        try fleet.edit("talos/templates/talconfig.j2") {
            $0.replacingOccurrences(of: "    controlPlane: {{ node.controlPlane | lower }}\n",
                                    with: "    controlPlane: {{ node.controlPlane | lower }}\n    nameservers:\n      - \"9.9.9.9\"\n")
        }
        let regen = try fleet.regen()
        #expect(regen.status == 0, "\(regen.stderr)")
        let output = try Self.diff(fleet, ["--all"]).stdoutString
        let nodeFiles = Self.files(output).filter { $0.contains("/clusterconfig/") && !$0.hasSuffix("/talosconfig") }
        let everyNode = fleet.clusterIDs.flatMap { id in
            ((try? FileManager.default.contentsOfDirectory(atPath: fleet.folder(id).appendingPathComponent("clusterconfig").path)) ?? [])
                .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.map { "cluster-\(id)/clusterconfig/\($0)" }
        }
        #expect(everyNode.count == 11)
        #expect(Set(nodeFiles) == Set(everyNode), "\(output)")
        #expect(nodeFiles.count == everyNode.count)
        #expect(output.contains("+      - 9.9.9.9") || output.contains("+        - 9.9.9.9"), "\(output)")

        // No value of any cluster's decrypted bundle, in any form of the output.
        let forms = [output, try Self.diff(fleet, ["--all", "--json"]).stdoutString, try Self.diff(fleet, ["--all", "--stat"]).stdoutString]
        for id in fleet.clusterIDs {
            let values = try Self.bundleValues(fleet, id)
            for form in forms { Self.expectNoSecret(form, values) }
        }

        // Every secret line changed: a tree whose configs hold other values (each bundle value reversed).
        let copy = fleet.root.appendingPathComponent("other-clusters")
        try FileManager.default.copyItem(at: fleet.root.appendingPathComponent("talos/clusters"), to: copy)
        var allValues: [String] = []
        for id in fleet.clusterIDs {
            let values = try Self.bundleValues(fleet, id).filter { $0.count >= 8 }
            allValues += values
            let folder = copy.appendingPathComponent("cluster-\(id)/clusterconfig")
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                let file = folder.appendingPathComponent(name)
                var text = try String(contentsOf: file, encoding: .utf8)
                for value in values { text = text.replacingOccurrences(of: value, with: String(value.reversed())) }
                try text.write(to: file, atomically: true, encoding: .utf8)
            }
        }
        let rotated = try Self.diff(fleet, ["--all", "--against", copy.path]).stdoutString
        #expect(rotated.contains("<redacted: changed>"))
        #expect(Self.changedLines(rotated).count >= 11 * 2 * 5, "every node's CA, key and token lines")
        Self.expectNoSecret(rotated, allValues)
        Self.expectNoSecret(rotated, allValues.map { String($0.reversed()) })
    }

    @Test func withoutACacheKeyASecretOutputHasNoPreviousCopy() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        // A key too short is ignored: the cache runs without one, and secret outputs are not stored.
        var environment = fleet.environment
        environment["TALOS_BATCH_CACHE_KEY"] = "short"
        func run(_ arguments: [String]) throws -> ProcessResult {
            try runProcess(TestPaths.binary, [arguments[0], "--cache-dir", fleet.cacheDir.path] + arguments.dropFirst(),
                           environment: environment, currentDirectory: fleet.root)
        }
        #expect(try run(["regen", "--all", "--progress", "none"]).status == 0)
        try fleet.edit("talos/clusters/cluster-102/talenv.yaml") {
            $0.replacingOccurrences(of: "storage.example.com/tier: fast", with: "storage.example.com/tier: slow")
        }
        #expect(try run(["regen", "--all", "--progress", "none"]).status == 0)
        let result = try run(["diff", "--all", "--stat"])
        #expect(result.status == 0, "\(result.stderrString)")
        #expect(result.stdoutString == """
             cluster-102/talconfig.rendered.yaml | +1 -1
             cluster-102/prod-a-prod-a-w-3.yaml | +0 -0 (no previous copy)
             2 file(s) changed, 1 insertion(s)(+), 1 deletion(s)(-)

            """, "\(result.stdoutString)")
        let text = try run(["diff", "--all"]).stdoutString
        #expect(text.contains("+++ b/cluster-102/prod-a-prod-a-w-3.yaml\n# changed; no previous copy in the cache"), "\(text)")
        #expect(text.contains("-      storage.example.com/tier: \"fast\"\n+      storage.example.com/tier: \"slow\"\n"), "\(text)")
    }
}
