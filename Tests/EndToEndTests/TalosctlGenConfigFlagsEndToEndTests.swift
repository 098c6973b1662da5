import Foundation
import Testing
import TestSupport

/// `gen config` with talosctl's command-line habits: -o as a file or `-`, --force, optional --with-secrets,
/// cobra-style `--flag=false`. talosctl itself cannot be installed here (no Debian or PyPI package), so the
/// bytes are checked against Talos's own encoding-stability goldens instead.
@Suite struct TalosctlGenConfigFlagsEndToEndTests {
    static var stability: URL { TestPaths.sharedReference.appendingPathComponent("talos-stability") }
    static var secrets: String { stability.appendingPathComponent("secrets.yaml").path }
    static let base = ["gen", "config", "base", "https://base:6443", "--talos-version", "v1.11", "--kubernetes-version", "1.28.0",
                       "--install-disk", "", "--install-image", ""]

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func standardOutputGivesTheGoldenAndRefusesSeveralTypes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for type in ["controlplane", "worker"] {
            let result = try runProcess(TestPaths.binary, Self.base + ["--with-secrets", Self.secrets, "--output-types", type, "-o", "-"],
                                        currentDirectory: directory.url)
            #expect(result.status == 0, "\(result.stderrString)")
            #expect(result.stdout == (try Data(contentsOf: Self.stability.appendingPathComponent("v1.11-base-\(type).yaml"))), "\(type)")
            #expect(result.stderr.isEmpty)
        }
        let several = try runProcess(TestPaths.binary, Self.base + ["--with-secrets", Self.secrets, "-o", "-"], currentDirectory: directory.url)
        #expect(several.status != 0)
        #expect(several.stderrString.contains("-o - writes one file to standard output, but --output-types asks for 3"))
        #expect(several.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func existingFilesAreNeverOverwrittenWithoutForce() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let worker = directory.url.appendingPathComponent("worker.yaml")
        try Data("mine\n".utf8).write(to: worker)
        // Default destination: the current folder, all three files; worker.yaml exists, so nothing is written.
        let refused = try runProcess(TestPaths.binary, Self.base + ["--with-secrets", Self.secrets], currentDirectory: directory.url)
        #expect(refused.status != 0)
        #expect(refused.stderrString.contains("\(worker.path) already exists; pass --force to overwrite it"), "\(refused.stderrString)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["worker.yaml"])
        #expect(try Data(contentsOf: worker) == Data("mine\n".utf8))
        // A single type to an existing file: refused too.
        let single = try runProcess(TestPaths.binary, Self.base + ["--with-secrets", Self.secrets, "-t", "worker", "-o", worker.path],
                                    currentDirectory: directory.url)
        #expect(single.status != 0 && single.stderrString.contains("already exists"))
        #expect(try Data(contentsOf: worker) == Data("mine\n".utf8))
        // --force (also talosctl's `gen --force config` and `--force=true`) overwrites.
        for force in [["--force"], ["--force=true"]] {
            let forced = try runProcess(TestPaths.binary, Self.base + ["--with-secrets", Self.secrets, "-t", "worker", "-o", worker.path] + force,
                                        currentDirectory: directory.url)
            #expect(forced.status == 0, "\(forced.stderrString)")
        }
        let persistent = try runProcess(TestPaths.binary, ["gen", "--force"] + Self.base.dropFirst() + ["--with-secrets", Self.secrets, "-t", "worker", "-o", worker.path],
                                        currentDirectory: directory.url)
        #expect(persistent.status == 0, "\(persistent.stderrString)")
        #expect(try Data(contentsOf: worker) == Data(contentsOf: Self.stability.appendingPathComponent("v1.11-base-worker.yaml")))
        let mode = try FileManager.default.attributesOfItem(atPath: worker.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test func withoutSecretsFreshOnesAreGeneratedAndShared() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try runProcess(TestPaths.binary, ["gen", "config", "c", "https://c:6443", "-o", "one"], currentDirectory: directory.url)
        #expect(first.status == 0, "\(first.stderrString)")
        let second = try runProcess(TestPaths.binary, ["gen", "config", "c", "https://c:6443", "-o", "two"], currentDirectory: directory.url)
        #expect(second.status == 0, "\(second.stderrString)")
        // The three files share one fresh bundle, which is written too (secrets.yaml, 0600; talosctl keeps it
        // only inside controlplane.yaml), so it can be reused.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.appendingPathComponent("one").path).sorted()
                == ["controlplane.yaml", "secrets.yaml", "talosconfig", "worker.yaml"])
        let secretsPath = directory.url.appendingPathComponent("one/secrets.yaml").path
        let mode = try FileManager.default.attributesOfItem(atPath: secretsPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        func ca(_ folder: String) throws -> String {
            let text = try String(contentsOf: directory.url.appendingPathComponent("\(folder)/controlplane.yaml"), encoding: .utf8)
            let line = text.split(separator: "\n").first { $0.contains("crt: ") } ?? ""
            return String(line.split(separator: " ").last ?? "")
        }
        #expect(try ca("one") != ca("two"), "each run makes fresh secrets")
        let talosconfig = try String(contentsOf: directory.url.appendingPathComponent("one/talosconfig"), encoding: .utf8)
        #expect(talosconfig.contains(try ca("one")), "talosconfig trusts the configs' OS CA")
        // The saved bundle is the one the configs hold: reusing it gives the same CA, and writes no new bundle.
        let reused = try runProcess(TestPaths.binary, ["gen", "config", "c", "https://c:6443", "-o", "three", "--with-secrets", secretsPath],
                                    currentDirectory: directory.url)
        #expect(reused.status == 0, "\(reused.stderrString)")
        #expect(try ca("three") == ca("one"))
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("three/secrets.yaml").path))
        // An existing secrets.yaml is not overwritten without --force, and then nothing is written.
        let again = try runProcess(TestPaths.binary, ["gen", "config", "c", "https://c:6443", "-o", "one", "-t", "worker,controlplane"],
                                   currentDirectory: directory.url)
        #expect(again.status != 0 && again.stderrString.contains("already exists"), "\(again.stderrString)")
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func cobraBooleansAndDocsFlagsAreAccepted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        func worker(_ flags: [String]) throws -> ProcessResult {
            try runProcess(TestPaths.binary, Self.base + ["--with-secrets", Self.secrets, "-t", "worker", "-o", "-"] + flags,
                           currentDirectory: directory.url)
        }
        let off = try worker(["--with-cluster-discovery=false"])
        let offPlain = try worker(["--no-with-cluster-discovery"])
        let on = try worker(["--with-cluster-discovery", "--with-docs=false", "--with-examples=false"])
        #expect(off.status == 0 && offPlain.status == 0 && on.status == 0, "\(off.stderrString)\(on.stderrString)")
        #expect(off.stdout == offPlain.stdout)
        #expect(off.stdoutString.contains("    discovery:\n        enabled: false\n"))
        #expect(on.stdout == (try Data(contentsOf: Self.stability.appendingPathComponent("v1.11-base-worker.yaml"))))
        #expect(on.stderr.isEmpty)
        // talosctl's --version is the config version.
        for version in [["--version", "v1alpha1"], ["--version=v1alpha1"]] {
            let configVersion = try worker(version)
            #expect(configVersion.status == 0 && configVersion.stdout == on.stdout, "\(version): \(configVersion.stderrString)")
        }
        let otherVersion = try worker(["--version", "v2"])
        #expect(otherVersion.status != 0 && otherVersion.stderrString.contains("unknown config version: \"v2\""))
        #expect(otherVersion.stdout.isEmpty)
        let docs = try worker(["--with-docs", "--with-examples=true"])
        #expect(docs.status == 0)
        #expect(docs.stdout == on.stdout)
        #expect(docs.stderrString.contains("warning: --with-docs: talos-batch writes configs without documentation comments"))
        #expect(docs.stderrString.contains("warning: --with-examples:"))
        let both = try runProcess(TestPaths.binary, Self.base + ["--with-secrets", Self.secrets, "-o", "a", "--output-dir", "b"],
                                  currentDirectory: directory.url)
        #expect(both.status != 0 && both.stderrString.contains("--output-dir and -o/--output both name the destination"))
    }
}
