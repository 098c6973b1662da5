import Foundation
import Testing
import TestSupport

/// Issue 19: the admin certificate and the talosconfig holding it always come from one issue, a bundle
/// gets one certificate, and what keys them is the decrypted bundle, not the SOPS file's bytes.
@Suite struct AdminCertificateEndToEndTests {
    static let admin = ".talosconfig-admin.yaml"
    static let talosconfig = "talosconfig"

    /// Problems found comparing each cluster's talosconfig with its admin file (the oracle: PyYAML).
    static func inconsistencies(_ fleet: RegenFixture) throws -> String {
        let script = """
        import base64, sys, yaml
        problems = []
        for folder in sys.argv[1:]:
            admin = yaml.safe_load(open(folder + '/\(admin)'))
            config = yaml.safe_load(open(folder + '/\(talosconfig)'))
            for name, context in config['contexts'].items():
                if base64.b64decode(context['crt']).decode() != admin['crt'] or base64.b64decode(context['key']).decode() != admin['key']:
                    problems.append(folder + ': ' + name)
        print('\\n'.join(problems))
        """
        let result = try runProcess(TestPaths.venvTool("python"), ["-c", script] + fleet.clusterIDs.map { fleet.folder($0).path })
        #expect(result.status == 0, "\(result.stderrString)")
        return result.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func file(_ fleet: RegenFixture, _ id: String, _ path: String) -> Data? {
        FileManager.default.contents(atPath: fleet.folder(id).appendingPathComponent(path).path)
    }

    static func utcDay() -> Int { Int(Date().timeIntervalSince1970 / 86_400) }

    @Test func twoRegensWithSeparateCachesAtOnceLeaveOneConsistentCertificate() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let day = Self.utcDay()
        let caches = [fleet.root.appendingPathComponent(".cache-a"), fleet.root.appendingPathComponent(".cache-b")]
        // Both cold, started together on one tree: each issues its own admin certificate.
        let together = runProcessesTogether(caches.map { (TestPaths.binary, ["regen", "--cache-dir", $0.path, "--all", "--progress", "none"]) },
                                            environment: fleet.environment, currentDirectory: fleet.root)
        for result in together {
            let finished = try result.get()
            #expect(finished.status == 0, "\(finished.stderrString)")
        }
        #expect(try Self.inconsistencies(fleet) == "")
        // Sequential, the other way round, with a stale cache: still one issue per file pair.
        let third = try fleet.regen(cacheDir: caches[1])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try Self.inconsistencies(fleet) == "")
        guard Self.utcDay() == day else { return }   // a certificate of a new day differs; the checks above still hold
        // Issued the same way on the same day, both caches hold the certificate on disk: a true no-op each.
        for cache in caches {
            let next = try fleet.regen(cacheDir: cache)
            #expect(next.status == 0)
            #expect(next.stages("ran").isEmpty && next.stages("restored").isEmpty, "\(next.statuses)")
        }
    }

    @Test func aColdRunIssuesOneCertificatePerBundleAndTheNextRunIsANoOp() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let day = Self.utcDay()
        // Every cluster shares cluster-101's bundle: admincert has one key for all of them.
        let shared = fleet.folder("101").appendingPathComponent("talsecret.sops.yaml")
        for id in fleet.clusterIDs where id != "101" {
            let target = fleet.folder(id).appendingPathComponent("talsecret.sops.yaml")
            try FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: shared, to: target)
        }
        let cold = try fleet.regen(["--all", "-j", "4"])
        #expect(cold.status == 0, "\(cold.stderr)")
        let certificates = Set(fleet.clusterIDs.compactMap { Self.file(fleet, $0, Self.admin) })
        #expect(certificates.count == 1)
        #expect(try Self.inconsistencies(fleet) == "")
        guard Self.utcDay() == day else { return }
        let next = try fleet.regen()
        #expect(next.status == 0)
        #expect(next.stages("ran").isEmpty && next.stages("restored").isEmpty, "\(next.statuses)")
    }

    @Test(arguments: ["sops version field", "new data key (sops rotate)"])
    func aMetadataOnlyChangeReissuesNothing(_ change: String) throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let cold = try fleet.regen()
        #expect(cold.status == 0, "\(cold.stderr)")
        let before = try fleet.outputs().mapValues(\.0)
        let secrets = fleet.folder("101").appendingPathComponent("talsecret.sops.yaml")
        let original = try Data(contentsOf: secrets)
        if change == "sops version field" {
            try fleet.edit("talos/clusters/cluster-101/talsecret.sops.yaml") { $0.replacingOccurrences(of: "version: 3.11.0", with: "version: 3.9.4") }
        } else {
            let rotate = try runProcess(TestPaths.venvTool("sops"), ["rotate", "-i", secrets.path],
                                        environment: ["SOPS_AGE_KEY_FILE": fleet.root.appendingPathComponent("talos/demo/age-key.txt").path,
                                                      "SOPS_AGE_KEY": ""])
            #expect(rotate.status == 0, "\(rotate.stderrString)")
        }
        #expect(try Data(contentsOf: secrets) != original)
        let after = try fleet.regen()
        #expect(after.status == 0, "\(after.stderr)")
        // The stages reading the bundle found their results under the same key: nothing reissued or rerun.
        #expect(after.statuses["101/admincert"] == "fresh", "\(after.statuses)")
        #expect(after.statuses["101/genconfig"] == "fresh", "\(after.statuses)")
        #expect(after.stages("ran").isEmpty, "\(after.statuses)")
        #expect(try fleet.outputs().mapValues(\.0) == before)
        // A real change of the bundle (cluster-102's) still reruns genconfig, and admincert takes the
        // certificate of that bundle (recorded for cluster-102 under the same key).
        let other = try Data(contentsOf: fleet.folder("102").appendingPathComponent("talsecret.sops.yaml"))
        try other.write(to: secrets)
        let changed = try fleet.regen()
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.statuses["101/genconfig"] == "ran", "\(changed.statuses)")
        #expect(changed.statuses["101/admincert"] != "fresh", "\(changed.statuses)")
        #expect(Self.file(fleet, "101", Self.admin) == Self.file(fleet, "102", Self.admin))
        #expect(try Self.inconsistencies(fleet) == "")
    }
}
