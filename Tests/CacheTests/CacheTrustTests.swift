import Cache
import Foundation
import Testing
import TestSupport

/// The cache as an untrusted input: records cannot choose a path or mode, cannot be forged or altered
/// without the key, secret blobs are sealed, and the folder is private.
@Suite struct CacheTrustTests {
    private func record(_ name: String, outputs: [OutputEntry], stage: String = "render") -> ActionRecord {
        ActionRecord(key: Digest.of(name), stage: stage, cluster: "home", outputs: outputs, inputs: [ActionInput(name: "in", digest: Digest.of("in"))],
                     created: Date(), lastUsed: Date(), duration: 0.1)
    }

    @Test func plainRelativePaths() {
        for good in ["a", "clusterconfig/home-cp1.yaml", ".gitignore", "x/.y", "a..b"] {
            #expect(OutputPath.isPlainRelative(good), "\(good)")
        }
        for bad in ["", "/etc/passwd", "../../../../pwned", "a/../b", "a//b", "a/", "./a", "a/.", "..", "a\\b", "a\u{0}b",
                    String(repeating: "x", count: 256)] {
            #expect(!OutputPath.isPlainRelative(bad), "\(bad)")
        }
        // The byte scan agrees with the rule spelled out on components, over every path of up to four
        // characters from a small alphabet, and at the length limits.
        func byComponents(_ path: String) -> Bool {
            guard !path.isEmpty, path.utf8.count <= 4096, !path.utf8.contains(0), !path.utf8.contains(UInt8(ascii: "\\")) else { return false }
            return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { component in
                !component.isEmpty && component != "." && component != ".." && component.utf8.count <= 255
            }
        }
        var samples = [String(repeating: "x", count: 255), String(repeating: "é", count: 128), "a/" + String(repeating: "x", count: 255),
                       String(repeating: "a/", count: 2048) + "a", String(repeating: "a/", count: 2047) + "ab", "...", ".a.", "a/..."]
        var paths = [""]
        for _ in 0..<4 {
            paths = paths.flatMap { prefix in ["a", ".", "/", "\\", "\u{0}", "é"].map { prefix + $0 } }
            samples += paths
        }
        for path in samples {
            #expect(OutputPath.isPlainRelative(path) == byComponents(path), "\(path.debugDescription)")
        }
    }

    @Test func writesThroughSymlinksAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.path + "/cluster"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try OutputPath.refuseSymlinks(root: root, relative: "clusterconfig/a.yaml")      // nothing there yet: fine
        try FileManager.default.createSymbolicLink(atPath: root + "/clusterconfig", withDestinationPath: directory.path)
        #expect(throws: CacheError.self) { try OutputPath.refuseSymlinks(root: root, relative: "clusterconfig/a.yaml") }
        try FileManager.default.createSymbolicLink(atPath: root + "/talosconfig", withDestinationPath: "/etc/passwd")
        #expect(throws: CacheError.self) { try OutputPath.refuseSymlinks(root: root, relative: "talosconfig") }
        #expect(throws: CacheError.self) { try OutputPath.refuseSymlinks(root: root, relative: "../x") }
    }

    @Test func declarationsDecidePathsModesAndRequiredOutputs() {
        let declared = OutputDeclaration([.file("clusterconfig/.gitignore", mode: 0o644), .anyFile(in: "clusterconfig", mode: 0o600)])
        func entry(_ path: String, _ mode: UInt32) -> OutputEntry { OutputEntry(path: path, digest: Digest.of(path), mode: mode, size: 1) }
        #expect(declared.problem(in: [entry("clusterconfig/.gitignore", 0o644), entry("clusterconfig/home-cp1.yaml", 0o600)]) == nil)
        // A mode the stage does not declare: world-readable machine config, setuid.
        #expect(declared.problem(in: [entry("clusterconfig/.gitignore", 0o644), entry("clusterconfig/home-cp1.yaml", 0o644)]) != nil)
        #expect(declared.problem(in: [entry("clusterconfig/.gitignore", 0o4777), entry("clusterconfig/a.yaml", 0o600)]) != nil)
        // A path it does not write, or not plain.
        #expect(declared.problem(in: [entry("clusterconfig/.gitignore", 0o644), entry("talenv.yaml", 0o600)]) != nil)
        #expect(declared.problem(in: [entry("clusterconfig/.gitignore", 0o644), entry("clusterconfig/../../x", 0o600)]) != nil)
        #expect(declared.problem(in: [entry("clusterconfig/.gitignore", 0o644), entry("clusterconfig/sub/a.yaml", 0o600)]) != nil)
        // An output it always writes is missing (rows deleted).
        #expect(declared.problem(in: [entry("clusterconfig/.gitignore", 0o644)]) != nil)
        #expect(declared.problem(in: [entry("clusterconfig/a.yaml", 0o600)]) != nil)
        #expect(declared.problem(in: []) != nil)
        // Undeclared stages: any plain path, 0600 or 0644 only.
        #expect(OutputDeclaration.plainFiles.problem(in: [entry("a/b", 0o600), entry("c", 0o644)]) == nil)
        #expect(OutputDeclaration.plainFiles.problem(in: [entry("a", 0o666)]) != nil)
        #expect(OutputDeclaration.plainFiles.problem(in: [entry("a", 0o644), entry("a", 0o644)]) != nil)
    }

    @Test func poisonedRecordsAreMissesWithAWarning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let warnings = Warnings()
        let cache = try CacheDirectory(url: directory.url.appendingPathComponent("cache"), key: TestCacheKey.value, warn: warnings.handler)
        let digest = try cache.blobs.put(Array("payload".utf8))
        let good = record("good", outputs: [OutputEntry(path: "out.yaml", digest: digest, mode: 0o644, size: 7)])
        try cache.actions.record(good)
        #expect(try cache.actions.lookup(good.key) == good)
        let database = cache.database.url
        let hex = good.key.hex

        // Path traversal and setuid written straight into the database (the MAC no longer matches).
        try CacheDamage.sql(database, "UPDATE action_outputs SET path = '../../../../pwned', mode = 2559 WHERE key = X'\(hex)'")
        #expect(try cache.actions.lookup(good.key) == nil)
        #expect(warnings.messages.last?.contains("not a plain relative path") == true)

        // A mode changed alone: the integrity code catches it.
        try CacheDamage.sql(database, "UPDATE action_outputs SET path = 'out.yaml', mode = 384 WHERE key = X'\(hex)'")
        #expect(try cache.actions.lookup(good.key) == nil)
        let verify = try CacheVerifier.verify(cache)
        #expect(verify.damagedRecords.map(\.record) == [good.key])
        #expect(verify.damagedRecords.first?.problem.contains("integrity code does not match") == true)
        #expect(!verify.isClean)
        #expect(try CacheVerifier.verify(cache).isClean)
    }

    @Test func deletedOutputRowsAndForeignKeysAreDamageEvenWithoutAKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("cache")
        let keyless = try CacheDirectory(url: url, key: nil, warn: CacheWarning.ignore)
        let outputs = try ["a", "b"].map { OutputEntry(path: $0, digest: try keyless.blobs.put(Array($0.utf8)), mode: 0o644, size: 1) }
        let entry = record("two", outputs: outputs)
        try keyless.actions.record(entry)
        #expect(try keyless.actions.lookup(entry.key) == entry)
        // Read under a key, a record written without one is not trusted.
        let keyed = try CacheDirectory(url: url, key: TestCacheKey.value, warn: CacheWarning.ignore)
        #expect(try keyed.actions.lookup(entry.key) == nil)
        // Under another key, neither is a keyed one.
        try keyed.actions.record(entry)
        #expect(try keyed.actions.lookup(entry.key) == entry)
        let other = try CacheDirectory(url: url, key: CacheKey(secret: Array("some other key, also long".utf8), origin: "t"), warn: CacheWarning.ignore)
        #expect(try other.actions.lookup(entry.key) == nil)
        // One output row deleted: damaged with or without a key.
        try CacheDamage.sql(keyless.database.url, "DELETE FROM action_outputs WHERE key = X'\(entry.key.hex)' AND position = 1")
        #expect(try keyless.actions.lookup(entry.key) == nil)
        let report = try CacheVerifier.verify(keyless)
        #expect(report.damagedRecords.first?.problem.contains("lists 1 of its 2 outputs") == true)
    }

    @Test func secretBlobsAreSealedAtRestAndOpenOnlyWithTheKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("cache")
        let secret = Array("-----BEGIN PRIVATE KEY----- very secret key material".utf8)
        let cache = try CacheDirectory(url: url, key: TestCacheKey.value, warn: CacheWarning.ignore)
        let loose = try cache.blobs.put(secret, secret: true)
        #expect(loose == Digest.of(secret))                       // the address is the plaintext's digest
        #expect(try cache.blobs.read(loose) == secret)
        cache.blobs.beginBatch()
        let packedSecret = secret + Array(" (packed)".utf8)
        let packed = try cache.blobs.put(packedSecret, secret: true)
        try cache.blobs.syncPending()
        #expect(try cache.blobs.read(packed) == packedSecret)
        for (path, bytes) in CacheDamage.everyFile(under: url) {
            #expect(!CacheDamage.contains(bytes, Array("very secret key material".utf8)), "plaintext secret in \(path)")
        }
        #expect(try CacheVerifier.verify(cache).isClean)
        // Without the key the sealed blobs are checked for damage but never opened; not damage either.
        let keyless = try CacheDirectory(url: url, key: nil, warn: CacheWarning.ignore)
        #expect(try keyless.blobs.read(loose) == nil)
        #expect(try keyless.blobs.check(loose) == .valid)
        // Under another key they do not open.
        let other = try CacheDirectory(url: url, key: CacheKey(secret: Array("some other key, also long".utf8), origin: "t"), warn: CacheWarning.ignore)
        #expect(try other.blobs.read(packed) == nil)
        // A flipped byte in the sealed loose blob is found with and without the key.
        try CacheDamage.flip(cache.blobs.path(of: loose), at: 20)
        #expect(try keyless.blobs.check(loose) == .corrupt)
        // Without a key a secret output is not stored at all.
        let nothing = try keyless.blobs.put(Array("another secret".utf8), secret: true)
        #expect(!keyless.blobs.contains(nothing))
    }

    @Test func stampsUnderAnotherKeyAreNoStamps() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stamp = Stamp(group: "/c", configuration: Digest.of("config"), validUntilNanoseconds: .max, refreshedSeconds: 0,
                          files: [], actions: [])
        try StampStore(cacheFolder: directory.url, key: TestCacheKey.value).update(setting: [stamp], removing: [])
        #expect(StampStore(cacheFolder: directory.url, key: TestCacheKey.value).load().count == 1)
        // Each record carries its own MAC: under another key (or none) the record is there but never read.
        #expect(StampStore(cacheFolder: directory.url, key: nil).load().stamp(forGroup: "/c") == nil)
        #expect(StampStore(cacheFolder: directory.url, key: nil).load().groups.isEmpty)
        let other = CacheKey(secret: Array("some other key, also long".utf8), origin: "t")
        #expect(StampStore(cacheFolder: directory.url, key: other).load().stamp(forGroup: "/c") == nil)
        #expect(StampStore(cacheFolder: directory.url, key: other).load().groups.isEmpty)
        #expect(StampStore(cacheFolder: directory.url, key: other).problem() != nil)
        // A FIFO in the stamp file's place is no stamps, not a hang.
        let fifoFolder = directory.url.appendingPathComponent("fifo")
        try FileManager.default.createDirectory(at: fifoFolder, withIntermediateDirectories: true)
        #expect(mkfifo(fifoFolder.appendingPathComponent("stamps").path, 0o600) == 0)
        #expect(StampStore(cacheFolder: fifoFolder, key: TestCacheKey.value).load().isEmpty)
    }

    @Test func cacheFolderIsMadePrivateOrRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        chmod(url.path, 0o777)
        let warnings = Warnings()
        _ = try CacheDirectory(url: url, key: TestCacheKey.value, warn: warnings.handler)
        #expect((try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) == 0o700)
        #expect(warnings.messages.contains { $0.contains("narrowed it to 0700") })

        // Another user's folder (only testable where we may chown, i.e. as root).
        let foreign = directory.url.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        if chown(foreign.path, 65534, 65534) == 0 {
            #expect {
                _ = try CacheDirectory(url: foreign, key: TestCacheKey.value, warn: CacheWarning.ignore)
            } throws: { error in
                "\(error)".contains("belongs to another user (uid 65534); refusing to use it")
            }
        }

        // A file where the cache folder belongs is moved aside, not a permanent failure.
        let file = directory.url.appendingPathComponent("file-cache")
        _ = FileManager.default.createFile(atPath: file.path, contents: Data("not a folder".utf8))
        let moved = Warnings()
        let cache = try CacheDirectory(url: file, key: TestCacheKey.value, warn: moved.handler)
        #expect(try cache.blobs.put(Array("x".utf8)) == Digest.of("x"))
        #expect(moved.messages.contains { $0.contains("was not a folder; moved it aside") })
    }
}
