import Foundation
import Testing
import TestSupport

/// Issue 13: a fresh checkout with a kept (keyed) cache restores every output without decrypting a secrets
/// bundle — the cache remembers, authenticated, which bundle key each secrets file's bytes give — so it works
/// with the age key gone. Keyless, nothing is remembered: the secret-consuming stages run and need the key.
@Suite struct RestoreWithoutDecryptingEndToEndTests {
    /// A second copy of the example fleet (no outputs) sharing `first`'s cache and cache key, its age key deleted.
    static func freshCheckoutWithoutAgeKey(of first: RegenFixture) throws -> RegenFixture {
        let second = try RegenFixture()
        try FileManager.default.copyItem(at: first.root.appendingPathComponent(".config"), to: second.root.appendingPathComponent(".config"))
        try FileManager.default.removeItem(at: second.root.appendingPathComponent("talos/demo/age-key.txt"))
        return second
    }

    @Test func aFreshCheckoutRestoresEveryOutputWithoutTheAgeKey() throws {
        let first = try RegenFixture()
        defer { first.remove() }
        #expect(try first.regen().status == 0)
        let second = try Self.freshCheckoutWithoutAgeKey(of: first)
        defer { second.remove() }
        let restore = try second.regen(cacheDir: first.cacheDir)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(!restore.statuses.isEmpty && restore.stages("restored") == Set(restore.statuses.keys), "\(restore.statuses)")
        let expected = try first.outputs(), restored = try second.outputs()
        #expect(Set(restored.keys) == Set(expected.keys))
        for (path, (bytes, _)) in expected {
            #expect(restored[path]?.0 == bytes, "\(path) differs after the restore")
        }
    }

    @Test func aKeylessRunDoesNotUseTheRememberedBundleKeys() throws {
        let first = try RegenFixture()
        defer { first.remove() }
        #expect(try first.regen().status == 0)
        let second = try Self.freshCheckoutWithoutAgeKey(of: first)
        defer { second.remove() }
        // A too-short TALOS_BATCH_CACHE_KEY: keyless (with a warning).
        var environment = second.environment
        environment["TALOS_BATCH_CACHE_KEY"] = "short"
        let result = try runProcess(TestPaths.binary, ["regen", "--cache-dir", first.cacheDir.path, "--progress", "none", "--all"],
                                    environment: environment, currentDirectory: second.root)
        #expect(result.status != 0)
        #expect(result.stderrString.contains("age"), "\(result.stderrString)")
    }
}
