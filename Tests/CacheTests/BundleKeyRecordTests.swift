import Foundation
import Testing
import TestSupport
@testable import Cache

/// The cache's memory of "secrets file digest → bundle digest" (issue 13): used only with a cache key, and a
/// planted or altered mapping is a miss — the caller decrypts — never another bundle's key.
@Suite struct BundleKeyRecordTests {
    static let key = CacheKey(secret: Array("the cache key of these tests".utf8), origin: "t")
    static let otherKey = CacheKey(secret: Array("some other key, also long".utf8), origin: "t")
    let file = Digest.of("talsecret.sops.yaml bytes")
    let bundle = Digest.of("bundle A")
    let otherBundle = Digest.of("bundle B")

    func caches(_ directory: TemporaryDirectory, warnings: Warnings = Warnings()) throws -> (keyed: ActionCache, other: ActionCache, keyless: ActionCache) {
        let database = try CacheDatabase(url: directory.url.appendingPathComponent("cache.db"), warn: CacheWarning.ignore)
        return (ActionCache(database: database, key: Self.key, warn: warnings.handler),
                ActionCache(database: database, key: Self.otherKey, warn: warnings.handler),
                ActionCache(database: database, key: nil, warn: warnings.handler))
    }

    @Test func aRememberedDigestIsFoundUnderTheSameKeyAndToolVersionOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (keyed, other, _) = try caches(directory)
        #expect(try keyed.rememberedBundleDigest(ofFileDigest: file, toolVersion: "1") == nil)
        try keyed.rememberBundleDigest(bundle, ofFileDigest: file, cluster: "home", toolVersion: "1")
        #expect(try keyed.rememberedBundleDigest(ofFileDigest: file, toolVersion: "1") == bundle)
        #expect(try keyed.rememberedBundleDigest(ofFileDigest: Digest.of("other bytes"), toolVersion: "1") == nil)
        #expect(try keyed.rememberedBundleDigest(ofFileDigest: file, toolVersion: "2") == nil)
        // MAC'd under another key: a miss.
        #expect(try other.rememberedBundleDigest(ofFileDigest: file, toolVersion: "1") == nil)
    }

    @Test func anotherBundlePlantedUnderTheSameFileDigestIsAMiss() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let warnings = Warnings()
        let (keyed, other, _) = try caches(directory, warnings: warnings)
        try keyed.rememberBundleDigest(bundle, ofFileDigest: file, cluster: "home", toolVersion: "1")
        // The bundle digest altered in the database: the MAC no longer matches.
        try keyed.database.write { db in
            _ = try db.query("UPDATE action_inputs SET digest = ? WHERE name = 'bundle'", [otherBundle.sqlite])
        }
        #expect(try keyed.rememberedBundleDigest(ofFileDigest: file, toolVersion: "1") == nil)
        #expect(warnings.messages.contains { $0.contains("integrity code does not match") })
        // A whole record planted by someone holding another key (a valid MAC, under that key): a miss too.
        try other.rememberBundleDigest(otherBundle, ofFileDigest: file, cluster: "home", toolVersion: "1")
        #expect(try keyed.rememberedBundleDigest(ofFileDigest: file, toolVersion: "1") == nil)
        // Without any MAC (written keyless by hand): a miss.
        try keyed.database.write { db in _ = try db.query("UPDATE actions SET mac = NULL") }
        #expect(try keyed.rememberedBundleDigest(ofFileDigest: file, toolVersion: "1") == nil)
    }

    @Test func keylessCachesNeitherReadNorWriteIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (keyed, _, keyless) = try caches(directory)
        try keyless.rememberBundleDigest(bundle, ofFileDigest: file, cluster: "home", toolVersion: "1")
        #expect(try keyless.statistics().records == 0)
        // A record that is there (and valid under a key) is not used by a keyless run: it checks only shapes.
        try keyed.rememberBundleDigest(bundle, ofFileDigest: file, cluster: "home", toolVersion: "1")
        #expect(try keyless.rememberedBundleDigest(ofFileDigest: file, toolVersion: "1") == nil)
        #expect(try keyed.rememberedBundleDigest(ofFileDigest: file, toolVersion: "1") == bundle)
    }
}
