import Foundation
import Testing
import TestSupport

/// The cache is an input (issue 19): whoever can write the cache folder — a pull request writing a
/// shared CI cache — cannot choose where a file goes, its mode, or its bytes, and whoever can read it
/// learns no secret.
@Suite struct CachePoisoningEndToEndTests {
    typealias CacheFolder = CacheDamageEndToEndTests.CacheFolder

    /// The fleet run without a cache key (its config folder is a file, so no key file can be made): then
    /// records carry no integrity code and only the shape and declaration checks stand between a forged
    /// record and the tree.
    static func keyless(_ fleet: RegenFixture) throws -> [String: String] {
        let blocker = fleet.root.appendingPathComponent(".no-config")
        try Data("a file where the config folder would be".utf8).write(to: blocker)
        return ["XDG_CONFIG_HOME": blocker.path, "TALOS_BATCH_CACHE_KEY": ""]
    }

    func regen(_ fleet: RegenFixture, environment: [String: String]? = nil) throws -> ProcessResult {
        try runProcess(TestPaths.binary, ["regen", "--all", "--cache-dir", fleet.cacheDir.path, "--progress", "none"],
                       environment: environment ?? fleet.environment, currentDirectory: fleet.root)
    }

    @Test(arguments: [false, true]) func forgedPathsAndModesAreNeverRestored(withKey: Bool) throws {
        let fleet = try RegenFixture(outputFolder: "clusterconfig")
        defer { fleet.remove() }
        let environment = withKey ? fleet.environment : try Self.keyless(fleet)
        #expect(try regen(fleet, environment: environment).status == 0)
        let expected = CacheDamageEndToEndTests.deterministic(try fleet.outputs())
        let cache = CacheFolder(url: fleet.cacheDir)
        // Path traversal with setuid, a world-readable machine config, a world-writable talenv values file.
        try cache.sql("""
            UPDATE action_outputs SET path = '../../../../pwned', mode = 2559 WHERE path = 'talconfig.rendered.yaml';
            UPDATE action_outputs SET mode = 420 WHERE path LIKE 'clusterconfig/%.yaml';
            UPDATE action_outputs SET mode = 438 WHERE path = 'talenv.values.json';
            """)
        CacheDamageEndToEndTests.deleteOutputs(fleet)
        let result = try regen(fleet, environment: environment)
        #expect(result.status == 0, "\(result.stderrString)")
        #expect(result.stderrString.contains("warning:"))
        #expect(!result.stderrString.contains("pwned\u{0}"))
        let escaped = fleet.root.appendingPathComponent("../pwned").standardizedFileURL.path
        #expect(!FileManager.default.fileExists(atPath: escaped), "a record wrote outside the tree")
        #expect(CacheDamageEndToEndTests.deterministic(try fleet.outputs()) == expected)
        for id in fleet.clusterIDs {
            let folder = fleet.folder(id)
            #expect(try Self.mode(folder.appendingPathComponent("talenv.values.json").path) == 0o644)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("clusterconfig").path)
            where name.hasSuffix(".yaml") {
                #expect(try Self.mode(folder.appendingPathComponent("clusterconfig/" + name).path) == 0o600, "\(name)")
            }
        }
    }

    @Test func swappedBlobAndRecordAreRefusedWithTheKey() throws {
        let fleet = try RegenFixture(outputFolder: "clusterconfig")
        defer { fleet.remove() }
        #expect(try regen(fleet).status == 0)
        let expected = CacheDamageEndToEndTests.deterministic(try fleet.outputs())
        let cache = CacheFolder(url: fleet.cacheDir)
        // The attacker stores evil bytes under their true SHA-256 and points the record at them.
        let evil = Data("machine:\n  evil: true\n".utf8)
        let digest = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["sha256sum"], stdin: evil)
            .stdoutString.prefix(64)
        let loose = cache.loosePath(String(digest))
        try FileManager.default.createDirectory(atPath: (loose as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try evil.write(to: URL(fileURLWithPath: loose))
        try cache.sql("UPDATE action_outputs SET digest = X'\(digest)', size = \(evil.count) WHERE path = 'talconfig.rendered.yaml'")
        let copy = fleet.root.appendingPathComponent(".cache-copy")
        try FileManager.default.copyItem(at: fleet.cacheDir, to: copy)
        let verify = try fleet.run(["cache", "verify", "--cache-dir", copy.path])
        #expect(verify.status == 1)
        #expect(verify.stdoutString.contains("damaged record"))
        CacheDamageEndToEndTests.deleteOutputs(fleet)
        let result = try regen(fleet)
        #expect(result.status == 0, "\(result.stderrString)")
        #expect(result.stderrString.contains("integrity code does not match"))
        #expect(CacheDamageEndToEndTests.deterministic(try fleet.outputs()) == expected)
    }

    @Test func symlinkedOutputFolderIsRefusedAndNothingIsWrittenThroughIt() throws {
        let fleet = try RegenFixture(outputFolder: "clusterconfig")
        defer { fleet.remove() }
        let outside = fleet.root.appendingPathComponent("../outside-\(UUID().uuidString)").standardizedFileURL
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        let id = fleet.clusterIDs[0]
        try FileManager.default.createSymbolicLink(at: fleet.folder(id).appendingPathComponent("clusterconfig"), withDestinationURL: outside)
        let result = try regen(fleet)
        #expect(result.status != 0)
        #expect(result.stderrString.contains("clusterconfig is a symbolic link"), "\(result.stderrString)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    /// Every decrypted value of every cluster's secrets bundle (via the sops oracle), and every secret
    /// output's bytes, must be absent from every file of the cache folder — after a cold run and after a
    /// fresh checkout restored from it.
    @Test(arguments: [false, true]) func noPlaintextSecretInTheCacheFolder(withKey: Bool) throws {
        let fleet = try RegenFixture(outputFolder: "clusterconfig")
        defer { fleet.remove() }
        let environment = withKey ? fleet.environment : try Self.keyless(fleet)
        #expect(try regen(fleet, environment: environment).status == 0)
        let expected = CacheDamageEndToEndTests.deterministic(try fleet.outputs())
        CacheDamageEndToEndTests.deleteOutputs(fleet)
        let restored = try regen(fleet, environment: environment)
        #expect(restored.status == 0, "\(restored.stderrString)")
        #expect(CacheDamageEndToEndTests.deterministic(try fleet.outputs()) == expected)

        var needles: [(String, Data)] = []
        for id in fleet.clusterIDs {
            let decrypted = try runProcess(TestPaths.venvTool("sops"),
                                           ["-d", "--output-type", "json", fleet.folder(id).appendingPathComponent("talsecret.sops.yaml").path],
                                           environment: ["SOPS_AGE_KEY_FILE": fleet.root.appendingPathComponent("talos/demo/age-key.txt").path,
                                                         "SOPS_AGE_KEY": ""])
            #expect(decrypted.status == 0, "\(decrypted.stderrString)")
            let bundle = try JSONSerialization.jsonObject(with: decrypted.stdout)
            for value in Self.leaves(bundle) where value.utf8.count >= 16 {
                needles.append(("cluster-\(id) bundle value", Data(value.utf8)))
                if let decoded = Data(base64Encoded: value), decoded.count >= 16 {
                    needles.append(("cluster-\(id) decoded bundle value", decoded))
                }
            }
            let clusterconfig = fleet.folder(id).appendingPathComponent("clusterconfig")
            for name in try FileManager.default.contentsOfDirectory(atPath: clusterconfig.path) where name != ".gitignore" {
                let bytes = try Data(contentsOf: clusterconfig.appendingPathComponent(name))
                needles.append(("cluster-\(id)/clusterconfig/\(name)", bytes))
            }
        }
        #expect(needles.count > 20)
        var cacheFiles = 0
        let enumerator = FileManager.default.enumerator(at: fleet.cacheDir, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            cacheFiles += 1
            let bytes = try Data(contentsOf: url)
            for (name, needle) in needles {
                #expect(!Self.contains(bytes, needle), "\(name) sits in plaintext in \(url.lastPathComponent)")
            }
        }
        #expect(cacheFiles >= 3)
    }

    static func leaves(_ value: Any) -> [String] {
        if let text = value as? String { return [text] }
        if let object = value as? [String: Any] { return object.filter { $0.key != "sops" }.values.flatMap(leaves) }
        if let array = value as? [Any] { return array.flatMap(leaves) }
        return []
    }

    static func contains(_ haystack: Data, _ needle: Data) -> Bool {
        !needle.isEmpty && haystack.range(of: needle) != nil
    }

    static func mode(_ path: String) throws -> Int {
        ((try FileManager.default.attributesOfItem(atPath: path))[.posixPermissions] as? Int ?? -1) & 0o7777
    }
}
