import Foundation
import Testing
import TestSupport

/// The README's commands for the seed workflow's users, run as written on a copy of the example fleet
/// (talos/, talos-batch.yaml, Taskfile.yml, scripts/): the first command at its top, and the "Coming from
/// the seed workflow" block as one bash script, with `talos-batch` on PATH as the README says.
@Suite struct ReadmeQuickStartEndToEndTests {
    static func readme() throws -> String {
        try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// The body of the first ```sh block after `heading` (from the README's start when nil).
    static func shellBlock(after heading: String?, in text: String) throws -> String {
        var rest = Substring(text)
        if let heading {
            let at = try #require(text.range(of: "\n" + heading + "\n"), "README has no \(heading)")
            rest = text[at.upperBound...]
        }
        let open = try #require(rest.range(of: "```sh\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```\n"))
        return String(rest[open.upperBound..<close.lowerBound])
    }

    /// A copy of the example fleet with the Taskfile and scripts, `talos-batch` (the built binary) and
    /// go-task on PATH, and the fixture's own cache and config folder.
    static func project() throws -> (RegenFixture, [String: String]) {
        let fleet = try RegenFixture()
        let fm = FileManager.default
        for item in ["Taskfile.yml", "scripts"] {
            try fm.copyItem(at: TestPaths.packageRoot.appendingPathComponent(item), to: fleet.root.appendingPathComponent(item))
        }
        let bin = fleet.root.appendingPathComponent(".bin")
        try fm.createDirectory(at: bin, withIntermediateDirectories: true)
        try fm.createSymbolicLink(at: bin.appendingPathComponent("talos-batch"), withDestinationURL: TestPaths.binary)
        var environment = fleet.environment
        environment["PATH"] = [bin.path, TestPaths.venv.appendingPathComponent("bin").path,
                               ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"].joined(separator: ":")
        environment["TALOS_BATCH_BIN"] = TestPaths.binary.path
        environment["TALOS_BATCH_CACHE_DIR"] = fleet.cacheDir.path
        return (fleet, environment)
    }

    /// Runs `script` as bash does a README block: stopping at the first failure, with no age key from the
    /// caller's environment (the block must say where its key comes from).
    static func bash(_ script: String, _ environment: [String: String], in fleet: RegenFixture) throws -> ProcessResult {
        try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", "unset SOPS_AGE_KEY SOPS_AGE_KEY_FILE\nset -euo pipefail -x\n" + script],
                       environment: environment, currentDirectory: fleet.root)
    }

    @Test func theTopCommandRegeneratesTheExampleFleet() throws {
        let block = try Self.shellBlock(after: nil, in: Self.readme())
        let first = try #require(block.split(separator: "\n").first.map(String.init))
        #expect(first.hasPrefix("scripts/talos-batch regen --all "), "\(first)")
        let (fleet, environment) = try Self.project()
        defer { fleet.remove() }
        let run = try Self.bash(first, environment, in: fleet)
        #expect(run.status == 0, "\(run.stdoutString)\(run.stderrString)")
        #expect(run.stdoutString.contains("regen: 3 clusters: 3 changed, 0 fresh, 0 failed"), "\(run.stdoutString)")
    }

    @Test func theSeedUsersQuickStartRunsAsWritten() throws {
        let block = try Self.shellBlock(after: "## Coming from the seed workflow", in: Self.readme())
        // The seed's entry point comes first, and each of the table's commands is shown running.
        #expect(block.hasPrefix("task talos:gen-config -- 101 "), "\(block)")
        for command in ["validate", "render", "plan", "decrypt", "gen config", "gencommand apply"] {
            #expect(block.contains("\ntalos-batch \(command) "), "the block does not run \(command)")
        }
        let (fleet, environment) = try Self.project()
        defer { fleet.remove() }
        let run = try Self.bash(block, environment, in: fleet)
        #expect(run.status == 0, "\(run.stdoutString)\(run.stderrString)")
        let out = run.stdoutString
        // The task regenerated cluster-101 into its own folder, as the seed did, and nothing else.
        #expect(out.contains("cluster-101: changed (ran validate, render, genconfig"), "\(out)")
        let produced = try fleet.outputs().keys
        #expect(produced.contains("cluster-101/lab-lab-1.yaml") && produced.contains("cluster-101/talosconfig"), "\(produced.sorted())")
        #expect(!produced.contains { !$0.hasPrefix("cluster-101/") }, "\(produced.sorted())")
        #expect(out.components(separatedBy: "/talenv.yaml: ok").count == 4, "\(out)")
        #expect(out.contains("clusterName: \"lab\""), "\(out)")
        #expect(out.contains("plan: 2 of 3 clusters to run, 1 fresh"), "\(out)")
        #expect(out.contains("talosctl apply-config --talosconfig=talos/clusters/cluster-101/talosconfig"), "\(out)")
        // The decrypted secrets went to /dev/null, as written: nothing of them on the terminal.
        #expect(!out.contains("secretboxencryptionsecret") && !run.stderrString.contains("secretboxencryptionsecret"))
    }
}
