import Foundation
import Testing
import TestSupport

/// Issue 16: the generated files sit where the seed puts them (the cluster folder, next to
/// talconfig.rendered.yaml) unless talos-batch.yaml's `outputFolder` says otherwise; moving the setting
/// moves exactly the files the tool generated, and the .gitignore lists exactly those.
@Suite("Output folder, end to end")
struct OutputFolderEndToEndTests {
    /// What the user keeps in a cluster folder; never removed, never ignored.
    static let inputs = ["talenv.yaml", "talsecret.sops.yaml"]

    static func names(_ folder: URL) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
    }

    static func mode(_ path: URL) throws -> Int {
        ((try FileManager.default.attributesOfItem(atPath: path.path))[.posixPermissions] as? Int ?? -1) & 0o777
    }

    /// The generated files of a folder as its .gitignore lists them, checked to be there, 0600, and to be
    /// exactly the folder's machine configs, talosconfig and hidden admin file.
    static func expectGitignoreListsExactlyTheGeneratedFiles(_ folder: URL, id: String) throws {
        let gitignore = folder.appendingPathComponent(".gitignore")
        #expect(try mode(gitignore) == 0o600)
        let listed = try String(contentsOf: gitignore, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Set(listed).count == listed.count)
        #expect(listed.contains("talosconfig") && listed.contains(".talosconfig-admin.yaml"), "\(listed)")
        let configs = listed.filter { !["talosconfig", ".talosconfig-admin.yaml"].contains($0) }
        #expect(!configs.isEmpty)
        for name in listed {
            let file = folder.appendingPathComponent(name)
            #expect(FileManager.default.fileExists(atPath: file.path), "cluster-\(id): listed \(name) is not there")
            #expect(try mode(file) == 0o600, "cluster-\(id)/\(name)")
        }
        for name in configs { #expect(name.hasSuffix(".yaml") && !name.contains("/"), "\(name)") }
        for kept in inputs + ["talconfig.rendered.yaml", "schematic.yaml", "talenv.values.json", ".gitignore"] {
            #expect(!listed.contains(kept), "cluster-\(id): .gitignore lists \(kept)")
        }
    }

    @Test func byDefaultTheOutputsSitNextToTheRenderedTalconfig() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let run = try fleet.regen()
        #expect(run.status == 0, "\(run.stderr)")
        for id in fleet.clusterIDs {
            let folder = fleet.folder(id)
            let names = try Self.names(folder)
            #expect(!names.contains("clusterconfig"), "cluster-\(id) has a clusterconfig/ folder")
            for expected in ["talconfig.rendered.yaml", "talosconfig", ".talosconfig-admin.yaml", ".gitignore"] + Self.inputs {
                #expect(names.contains(expected), "cluster-\(id) lacks \(expected)")
            }
            try Self.expectGitignoreListsExactlyTheGeneratedFiles(folder, id: id)
        }
    }

    /// git itself agrees: in a repository of the fleet, the inputs and the rendered talconfig are
    /// untracked (would be committed), every generated secret file is ignored.
    @Test func gitIgnoresTheGeneratedFilesAndNothingElse() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        // Only the generated .gitignore files decide (the example's talos/.gitignore ignores the renders).
        try FileManager.default.removeItem(at: fleet.root.appendingPathComponent("talos/.gitignore"))
        let git = URL(fileURLWithPath: "/usr/bin/git")
        #expect(try runProcess(git, ["init", "-q", "."], currentDirectory: fleet.root).status == 0)
        let status = try runProcess(git, ["status", "--porcelain", "--untracked-files=all", "talos/clusters"], currentDirectory: fleet.root)
        #expect(status.status == 0, "\(status.stderrString)")
        let untracked = Set(status.stdoutString.split(separator: "\n").map { String($0.dropFirst(3)) })
        for id in fleet.clusterIDs {
            for name in Self.inputs + ["talconfig.rendered.yaml"] {
                #expect(untracked.contains("talos/clusters/cluster-\(id)/\(name)"), "\(name) is ignored: \(untracked)")
            }
            #expect(!untracked.contains("talos/clusters/cluster-\(id)/talosconfig"))
            #expect(!untracked.contains("talos/clusters/cluster-\(id)/.talosconfig-admin.yaml"))
            #expect(!untracked.contains { $0.hasPrefix("talos/clusters/cluster-\(id)/") && $0.hasSuffix(".yaml")
                && !(Self.inputs + ["talconfig.rendered.yaml", "schematic.yaml", ".gitignore"]).contains(($0 as NSString).lastPathComponent) },
                    "a machine config would be committed: \(untracked)")
        }
    }

    /// Default → clusterconfig → default: each move removes the files the tool generated in the old place
    /// (also when the move back is served from the cache), keeps every file it did not generate, and never
    /// touches the inputs.
    @Test func changingTheSettingMovesOnlyTheGeneratedFiles() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        let id = fleet.clusterIDs[0]
        let folder = fleet.folder(id)
        let subfolder = folder.appendingPathComponent("clusterconfig")
        let generated = try Self.names(folder).subtracting(Self.inputs + ["talconfig.rendered.yaml", "schematic.yaml", "talenv.values.json"])
        #expect(generated.contains("talosconfig") && generated.count >= 4, "\(generated)")
        let inputBytes = try Self.inputs.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
        // The user's own files, in both places, one of them named like a generated file would be.
        try FileManager.default.createDirectory(at: subfolder, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: folder.appendingPathComponent("notes.yaml"))
        try Data("mine\n".utf8).write(to: subfolder.appendingPathComponent("notes.txt"))

        try fleet.setOutputFolder("clusterconfig")
        let moved = try fleet.regen()
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(try Self.names(subfolder) == generated.union(["notes.txt"]))
        let leftBehind = try Self.names(folder).intersection(generated)
        #expect(leftBehind.isEmpty, "left behind: \(leftBehind)")
        try Self.expectGitignoreListsExactlyTheGeneratedFiles(subfolder, id: id)
        #expect(try fleet.regen().stages("fresh").count == fleet.clusterIDs.count * 5, "a second run is a no-op")

        try fleet.setOutputFolder(nil)
        let back = try fleet.regen()
        #expect(back.status == 0, "\(back.stderr)")
        #expect(!back.stages("restored").isEmpty, "the move back is served from the cache")
        #expect(try Self.names(subfolder) == ["notes.txt"])
        #expect(try Self.names(folder).isSuperset(of: generated.union(["notes.yaml", "clusterconfig", "talconfig.rendered.yaml"])))
        try Self.expectGitignoreListsExactlyTheGeneratedFiles(folder, id: id)
        #expect(try Self.inputs.map { try Data(contentsOf: folder.appendingPathComponent($0)) } == inputBytes)
        #expect(try String(contentsOf: folder.appendingPathComponent("notes.yaml"), encoding: .utf8) == "mine\n")

        // A folder that held only generated files goes with them.
        try FileManager.default.removeItem(at: subfolder.appendingPathComponent("notes.txt"))
        try fleet.setOutputFolder("out/configs")
        #expect(try fleet.regen().status == 0)
        try fleet.setOutputFolder("clusterconfig")
        #expect(try fleet.regen().status == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/configs").path))
        #expect(try Self.names(subfolder) == generated)
    }

    /// A node whose file name would replace one of the cluster's own files is an error at the node, and
    /// nothing is written over the file.
    @Test func aNodeFileNamedLikeAnInputIsRefused() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let id = fleet.clusterIDs[0]
        let talenv = fleet.folder(id).appendingPathComponent("talenv.yaml")
        let before = try Data(contentsOf: talenv)
        try fleet.edit("talos/templates/talconfig.j2") {
            $0.replacingOccurrences(of: "  - hostname: \"{{ node.hostname }}\"\n",
                                    with: "  - hostname: \"{{ node.hostname }}\"\n    filenameTmpl: \"talenv.yaml\"\n")
        }
        let run = try fleet.regen(["cluster-\(id)"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("talconfig.rendered.yaml:") && run.stderr.contains("would replace a file"), "\(run.stderr)")
        #expect(try Data(contentsOf: talenv) == before)
    }

    /// Issue 19's checks with the outputs in the cluster folder: a forged record (no cache key, so only the
    /// checks stand in the way) naming one of the cluster's inputs, with that file's true digest, is never
    /// restored over it — nor is the input removed as a stale output of that record when genconfig reruns.
    @Test func aForgedRecordCannotReplaceOrRemoveAnInput() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let environment = try CachePoisoningEndToEndTests.keyless(fleet)
        func regen() throws -> ProcessResult {
            try runProcess(TestPaths.binary, ["regen", "--all", "--cache-dir", fleet.cacheDir.path, "--progress", "none"],
                           environment: environment, currentDirectory: fleet.root)
        }
        func sha256(_ file: URL) throws -> String {
            String(try runProcess(URL(fileURLWithPath: "/usr/bin/sha256sum"), [file.path]).stdoutString.prefix(64))
        }
        #expect(try regen().status == 0)
        let id = fleet.clusterIDs[0]
        let folder = fleet.folder(id)
        let config = try #require(try String(contentsOf: folder.appendingPathComponent(".gitignore"), encoding: .utf8)
            .split(separator: "\n").first { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.map(String.init))
        let talenv = folder.appendingPathComponent("talenv.yaml")
        let talenvBytes = try Data(contentsOf: talenv)
        try CacheDamageEndToEndTests.CacheFolder(url: fleet.cacheDir).sql("""
            UPDATE action_outputs SET path = 'talenv.yaml', digest = X'\(try sha256(talenv))' WHERE path = '\(config)';
            """)
        for name in try Self.names(folder) where !Self.inputs.contains(name) {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        let run = try regen()
        #expect(run.status == 0, "\(run.stderrString)")
        #expect(run.stderrString.contains("warning:"), "\(run.stderrString)")
        #expect(try Data(contentsOf: talenv) == talenvBytes, "talenv.yaml was replaced or removed")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(config).path))
    }
}
