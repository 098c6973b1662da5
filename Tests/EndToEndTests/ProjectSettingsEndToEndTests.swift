import Foundation
import Testing
import TestSupport

/// Issue 16: talos-batch.yaml has a strict, documented schema (an unknown key or a wrong type is an error
/// at its line:col), every setting it documents takes effect, command-line flags override it, and the
/// shipped JSON schema says the same as the loader.
@Suite("talos-batch.yaml settings, end to end")
struct ProjectSettingsEndToEndTests {
    /// Replaces the fixture's talos-batch.yaml (the demo key line is kept so secrets decrypt).
    static func writeSettings(_ fleet: RegenFixture, _ text: String) throws {
        try ("ageKeyFiles:\n  - talos/demo/age-key.txt\n" + text)
            .write(to: fleet.root.appendingPathComponent("talos-batch.yaml"), atomically: true, encoding: .utf8)
    }

    /// `regen --all` without the fixture's --cache-dir (the settings choose the cache).
    static func regen(_ fleet: RegenFixture, _ extra: [String] = []) throws -> ProcessResult {
        var environment = fleet.environment
        environment["TALOS_BATCH_CACHE_DIR"] = ""
        return try runProcess(TestPaths.binary, ["regen", "--all", "--progress", "none"] + extra,
                              environment: environment, currentDirectory: fleet.root)
    }

    /// (settings text after the key file lines, the error's line:col, words the error must hold)
    static let badFiles: [(String, String, [String])] = [
        ("outputDir: out\n", "3:1", ["unknown setting `outputDir`", "known settings: ageKeyFiles, outputFolder, clusters, template, schematic, jobs, cacheFolder"]),
        ("jobs: many\n", "3:7", ["`jobs`", "whole number"]),
        ("jobs: 0\n", "3:7", ["`jobs`", "at least 1"]),
        ("outputFolder: ../elsewhere\n", "3:15", ["`outputFolder`", "../elsewhere", "no `..`"]),
        ("outputFolder: /tmp/configs\n", "3:15", ["`outputFolder`", "absolute"]),
        ("outputFolder: a/../../b\n", "3:15", ["`outputFolder`"]),
        ("outputFolder: [a]\n", "3:15", ["`outputFolder`", "expected a string"]),
        ("template: 7\n", "3:11", ["`template`", "path"]),
        ("cacheFolder:\n", "3:13", ["`cacheFolder`", "path"]),
        ("clusters: talos/clusters\nclusters: talos/clusters\n", "4:1", ["\"clusters\" already defined"]),
    ]

    @Test func anUnknownKeyOrAWrongTypeIsAnErrorAtItsPosition() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        for (text, position, words) in Self.badFiles {
            try Self.writeSettings(fleet, text)
            let run = try Self.regen(fleet)
            #expect(run.status == 1, "\(text)")
            #expect(run.stderrString.hasPrefix("talos-batch.yaml:\(position): error: "), "\(text): \(run.stderrString)")
            for word in words { #expect(run.stderrString.contains(word), "\(text): \(run.stderrString)") }
            #expect(!run.stderrString.contains("Usage:"), "a settings error is no usage error")
            // Nothing was generated.
            #expect(!FileManager.default.fileExists(atPath: fleet.folder(fleet.clusterIDs[0]).appendingPathComponent("talosconfig").path))
        }
        // The cache commands read the file too.
        try Self.writeSettings(fleet, "outputDir: out\n")
        let stats = try runProcess(TestPaths.binary, ["cache", "stats"], environment: ["TALOS_BATCH_CACHE_DIR": ""],
                                   currentDirectory: fleet.root)
        #expect(stats.status == 1 && stats.stderrString.hasPrefix("talos-batch.yaml:3:1: error: unknown setting"), "\(stats.stderrString)")
    }

    @Test func aSymlinkedOutputFolderIsAnErrorAtTheSetting() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        try Self.writeSettings(fleet, "outputFolder: clusterconfig\n")
        let outside = fleet.root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let id = fleet.clusterIDs[1]
        try FileManager.default.createSymbolicLink(at: fleet.folder(id).appendingPathComponent("clusterconfig"), withDestinationURL: outside)
        let run = try Self.regen(fleet)
        #expect(run.status == 1)
        #expect(run.stderrString.hasPrefix("talos-batch.yaml:3:15: error: `outputFolder`: talos/clusters/cluster-\(id)/clusterconfig is a symbolic link"),
                "\(run.stderrString)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    /// Clusters, template and schematic somewhere else, the cache folder and the default jobs from the file;
    /// -j and --cache-dir win over it.
    @Test func everySettingTakesEffectAndFlagsOverrideIt() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let fm = FileManager.default
        let root = fleet.root
        try fm.moveItem(at: root.appendingPathComponent("talos/clusters"), to: root.appendingPathComponent("fleet"))
        try fm.createDirectory(at: root.appendingPathComponent("tpl"), withIntermediateDirectories: true)
        try fm.moveItem(at: root.appendingPathComponent("talos/templates/talconfig.j2"), to: root.appendingPathComponent("tpl/cluster.j2"))
        try fm.moveItem(at: root.appendingPathComponent("talos/common/schematic.yaml.j2"), to: root.appendingPathComponent("tpl/image.yaml.j2"))
        for folder in ["talos/templates", "talos/common"] { try fm.removeItem(at: root.appendingPathComponent(folder)) }
        try Self.writeSettings(fleet, """
            # yaml-language-server: $schema=talos-batch.schema.json
            clusters: fleet
            template: tpl/cluster.j2
            schematic: tpl/image.yaml.j2
            outputFolder: generated
            jobs: 1
            cacheFolder: build/cache

            """)
        let first = try Self.regen(fleet)
        #expect(first.status == 0, "\(first.stderrString)")
        #expect(first.stdoutString.contains("jobs 1"), "\(first.stdoutString)")
        for id in ["101", "102", "103"] {
            let folder = root.appendingPathComponent("fleet/cluster-\(id)")
            #expect(fm.fileExists(atPath: folder.appendingPathComponent("talconfig.rendered.yaml").path))
            #expect(fm.fileExists(atPath: folder.appendingPathComponent("generated/talosconfig").path))
        }
        #expect(fm.fileExists(atPath: root.appendingPathComponent("build/cache/cache.db").path))
        #expect(!fm.fileExists(atPath: root.appendingPathComponent(".talos-batch").path))

        // A no-op, from any folder inside the project (found by its talos-batch.yaml).
        var environment = fleet.environment
        environment["TALOS_BATCH_CACHE_DIR"] = ""
        let inside = try runProcess(TestPaths.binary, ["regen", "101", "--progress", "none", "-j", "2"], environment: environment,
                                    currentDirectory: root.appendingPathComponent("fleet/cluster-101"))
        #expect(inside.status == 0, "\(inside.stderrString)")
        #expect(inside.stdoutString.contains("1 fresh") && inside.stdoutString.contains("jobs 2"), "\(inside.stdoutString)")

        // --cache-dir wins over cacheFolder.
        let other = root.appendingPathComponent("other-cache")
        #expect(try Self.regen(fleet, ["--cache-dir", other.path]).status == 0)
        #expect(fm.fileExists(atPath: other.appendingPathComponent("cache.db").path))
    }

    /// The shipped JSON schema accepts the example talos-batch.yaml (which names it for editors) and
    /// rejects what the loader rejects (check-jsonschema, as an editor's yaml-language-server would).
    @Test func theJSONSchemaValidatesTheExampleAndRejectsBadFiles() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let schema = TestPaths.packageRoot.appendingPathComponent("talos-batch.schema.json")
        let example = TestPaths.packageRoot.appendingPathComponent("talos-batch.yaml")
        let exampleText = try String(contentsOf: example, encoding: .utf8)
        #expect(exampleText.hasPrefix("# yaml-language-server: $schema=./talos-batch.schema.json\n"))
        let checker = TestPaths.venvTool("check-jsonschema")
        let good = try runProcess(checker, ["--schemafile", schema.path, example.path])
        #expect(good.status == 0, "\(good.stdoutString)\(good.stderrString)")

        for (index, (text, _, _)) in Self.badFiles.enumerated() where !text.hasPrefix("clusters:") {  // duplicate keys: a YAML matter
            let file = temp.url.appendingPathComponent("bad-\(index).yaml")
            try ("ageKeyFiles:\n  - k.txt\n" + text).write(to: file, atomically: true, encoding: .utf8)
            let bad = try runProcess(checker, ["--schemafile", schema.path, file.path])
            #expect(bad.status != 0, "the schema accepts \(text)")
        }
    }

    /// regen refuses a talsecret.sops.yaml that holds no SOPS metadata (naming the file, writing nothing);
    /// the same plaintext bundle under talsecret.yaml is used, with a warning, and gives the same configs.
    @Test func aPlaintextBundleIsRefusedUnderTheSopsName() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        let id = fleet.clusterIDs[0]
        let folder = fleet.folder(id)
        let encrypted = folder.appendingPathComponent("talsecret.sops.yaml")
        let configs = try String(contentsOf: folder.appendingPathComponent(".gitignore"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }
        let before = try configs.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
        let decrypt = try runProcess(TestPaths.binary, ["decrypt", encrypted.path],
                                     environment: ["SOPS_AGE_KEY_FILE": fleet.root.appendingPathComponent("talos/demo/age-key.txt").path])
        #expect(decrypt.status == 0, "\(decrypt.stderrString)")
        try decrypt.stdout.write(to: encrypted)
        for name in configs { try FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }

        let refused = try fleet.regen(["cluster-\(id)"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("talos/clusters/cluster-\(id)/talsecret.sops.yaml:1:1: error: talsecret.sops.yaml holds no SOPS metadata"),
                "\(refused.stderr)")
        #expect(refused.stderr.contains("rename it talsecret.yaml"))
        for name in configs { #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)) }

        try FileManager.default.moveItem(at: encrypted, to: folder.appendingPathComponent("talsecret.yaml"))
        let plaintext = try fleet.regen(["cluster-\(id)"])
        #expect(plaintext.status == 0, "\(plaintext.stderr)")
        #expect(plaintext.stderr.contains("talsecret.yaml:1:1: warning: talsecret.yaml is not encrypted"), "\(plaintext.stderr)")
        #expect(try configs.map { try Data(contentsOf: folder.appendingPathComponent($0)) } == before)
    }

    /// talhelper's genconfig run by hand inside a fleet's cluster folder: the fleet's talenv.yaml (nested
    /// values, not NAME: value) is not taken as the env file unless named with -e; the configs are the ones
    /// regen wrote.
    @Test func standaloneGenconfigInAFleetClusterFolderSkipsTheFleetEnv() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        let folder = fleet.folder(fleet.clusterIDs[1])
        let out = fleet.root.appendingPathComponent("by-hand")
        let environment = ["SOPS_AGE_KEY_FILE": fleet.root.appendingPathComponent("talos/demo/age-key.txt").path]
        let run = try runProcess(TestPaths.binary, ["genconfig", "-c", "talconfig.rendered.yaml", "-o", out.path],
                                 environment: environment, currentDirectory: folder)
        #expect(run.status == 0, "\(run.stderrString)")
        #expect(run.stderrString.contains("note: talenv.yaml is not a flat NAME: value file"), "\(run.stderrString)")
        #expect(!run.stderrString.contains("error"))
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".yaml") }
        #expect(!names.isEmpty)
        for name in names {
            #expect(try Data(contentsOf: out.appendingPathComponent(name)) == Data(contentsOf: folder.appendingPathComponent(name)), "\(name)")
        }

        let explicit = try runProcess(TestPaths.binary, ["genconfig", "-c", "talconfig.rendered.yaml", "-o", out.path, "-e", "talenv.yaml"],
                                      environment: environment, currentDirectory: folder)
        #expect(explicit.status == 1)
        #expect(explicit.stderrString.contains("talenv.yaml:") && explicit.stderrString.contains("expected NAME: value"), "\(explicit.stderrString)")

        // A flat talenv.yaml still is the env file by default, as in talhelper.
        let flat = fleet.root.appendingPathComponent("flat")
        try FileManager.default.createDirectory(at: flat, withIntermediateDirectories: true)
        let talconfig = try String(contentsOf: folder.appendingPathComponent("talconfig.rendered.yaml"), encoding: .utf8)
        let clusterName = try #require(talconfig.split(separator: "\n").first { $0.hasPrefix("clusterName: ") })
        try talconfig.replacingOccurrences(of: String(clusterName), with: "clusterName: ${NAME_FROM_ENV}")
            .write(to: flat.appendingPathComponent("talconfig.yaml"), atomically: true, encoding: .utf8)
        try "NAME_FROM_ENV: flatname\n".write(to: flat.appendingPathComponent("talenv.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("talsecret.sops.yaml"), to: flat.appendingPathComponent("talsecret.sops.yaml"))
        let flatRun = try runProcess(TestPaths.binary, ["genconfig"], environment: environment, currentDirectory: flat)
        #expect(flatRun.status == 0, "\(flatRun.stderrString)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: flat.appendingPathComponent("clusterconfig").path)
            .contains { $0.hasPrefix("flatname-") }, "\(flatRun.stdoutString)")
    }
}
