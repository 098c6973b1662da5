import Cache
import Foundation
import Testing
import TestSupport

@Suite struct CacheDatabaseTests {
    @Test func garbageFileIsMovedAsideWithAWarning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("cache.db")
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try garbage.write(to: path)
        let warnings = Warnings()
        let database = try CacheDatabase(url: path, warn: warnings.handler)
        let aside = try #require(database.movedAsideTo)
        #expect(FileManager.default.contents(atPath: aside.path) == garbage)
        #expect(aside.lastPathComponent.hasPrefix("cache.db.broken-"))
        #expect(warnings.messages.count == 1)
        #expect(warnings.messages.first?.contains("moved it aside") == true)
        // The fresh database works.
        let cache = ActionCache(database: database)
        try cache.noteHit()
        #expect(try cache.statistics().hits == 1)
        #expect(try database.integrityProblems().isEmpty)
    }

    @Test func foreignSQLiteDatabaseIsNotTouched() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("cache.db")
        // Another program's database: valid SQLite, but not ours.
        let sqlite = try runProcess(TestPaths.venvTool("python"),
                                    ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table notes(x)'); c.commit()", path.path])
        #expect(sqlite.status == 0)
        let original = try #require(FileManager.default.contents(atPath: path.path))
        let warnings = Warnings()
        let database = try CacheDatabase(url: path, warn: warnings.handler)
        let aside = try #require(database.movedAsideTo)
        #expect(FileManager.default.contents(atPath: aside.path) == original)
        #expect(warnings.messages.first?.contains("another program") == true)
    }

    @Test func reopeningOurOwnDatabaseKeepsIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("cache.db")
        let warnings = Warnings()
        try ActionCache(path: path, warn: warnings.handler).noteMiss()
        let reopened = try CacheDatabase(url: path, warn: warnings.handler)
        #expect(reopened.movedAsideTo == nil)
        #expect(try ActionCache(database: reopened).statistics().misses == 1)
        #expect(warnings.messages.isEmpty)
    }

    @Test func cacheDirectoryResolutionAndMode() throws {
        let root = URL(fileURLWithPath: "/srv/fleet")
        #expect(CacheDirectory.resolve(explicit: "/tmp/c", environment: ["TALOS_BATCH_CACHE_DIR": "/tmp/e"], projectRoot: root).path == "/tmp/c")
        #expect(CacheDirectory.resolve(explicit: nil, environment: ["TALOS_BATCH_CACHE_DIR": "/tmp/e"], projectRoot: root).path == "/tmp/e")
        #expect(CacheDirectory.resolve(explicit: nil, environment: [:], projectRoot: root).path == "/srv/fleet/.talos-batch")
        #expect(CacheDirectory.resolve(explicit: "", environment: ["TALOS_BATCH_CACHE_DIR": ""], projectRoot: root).path == "/srv/fleet/.talos-batch")

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("nested/cache")
        _ = try CacheDirectory(url: url, key: TestCacheKey.value, warn: CacheWarning.ignore)
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("cache.db").path))
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("blobs").path))
    }
}

@Suite struct DamagedDatabaseTests {
    @Test func damagedPagesBehindAGoodHeaderAreDetected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cacheURL = directory.url.appendingPathComponent("cache")
        do {
            let cache = try CacheDirectory(url: cacheURL, key: TestCacheKey.value, warn: CacheWarning.ignore)
            for index in 0..<400 {
                try cache.actions.record(ActionRecord(
                    key: Digest.of("\(index)"), stage: "render", cluster: "cluster-\(index)",
                    outputs: [OutputEntry(path: "out-\(index).yaml", digest: Digest.of("o\(index)"), mode: 0o644, size: 10)],
                    inputs: [ActionInput(name: "talenv.yaml", digest: Digest.of("i\(index)"))],
                    created: Date(), lastUsed: Date(), duration: 0))
            }
            try cache.database.checkpoint()
        }
        let path = cacheURL.appendingPathComponent("cache.db").path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 8 * 4096)
        // Keep the 100-byte header and the schema page; scramble the pages after them.
        for offset in stride(from: 2 * 4096, to: bytes.count, by: 97) { bytes[offset] ^= 0x5a }
        try bytes.write(to: URL(fileURLWithPath: path))

        let warnings = Warnings()
        let reopened = try CacheDirectory(url: cacheURL, key: TestCacheKey.value, warn: warnings.handler)
        #expect(reopened.database.movedAsideTo != nil)
        #expect(warnings.messages.first?.contains("damaged") == true)
        #expect(try reopened.actions.statistics().records == 0)
        try reopened.actions.noteMiss()
    }

    /// A run that leaves the database sound notes its state, and the next open skips the quick check while
    /// the file is untouched; any write to it (damage included) moves its status-change time, and the
    /// check runs again and finds the damage.
    @Test func damageBehindACheckedMarkerIsStillDetected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cacheURL = directory.url.appendingPathComponent("cache")
        let path = cacheURL.appendingPathComponent("cache.db").path
        let marker = path + "-checked"
        do {
            let cache = try CacheDirectory(url: cacheURL, key: TestCacheKey.value, warn: CacheWarning.ignore)
            for index in 0..<400 {
                try cache.actions.record(ActionRecord(
                    key: Digest.of("\(index)"), stage: "render", cluster: "cluster-\(index)",
                    outputs: [OutputEntry(path: "out-\(index).yaml", digest: Digest.of("o\(index)"), mode: 0o644, size: 10)],
                    inputs: [ActionInput(name: "talenv.yaml", digest: Digest.of("i\(index)"))],
                    created: Date(), lastUsed: Date(), duration: 0))
            }
            cache.database.noteSound()
        }
        #expect(FileManager.default.fileExists(atPath: marker))
        let markerBefore = try Data(contentsOf: URL(fileURLWithPath: marker))
        do {
            // Untouched: the marker holds (a check would have removed it first) and the records are there.
            let reopened = try CacheDirectory(url: cacheURL, key: TestCacheKey.value, warn: CacheWarning.ignore)
            #expect(reopened.database.movedAsideTo == nil)
            #expect(try reopened.actions.statistics().records == 400)
            #expect(try Data(contentsOf: URL(fileURLWithPath: marker)) == markerBefore)
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for offset in stride(from: 2 * 4096, to: bytes.count, by: 97) { bytes[offset] ^= 0x5a }
        try bytes.write(to: URL(fileURLWithPath: path))

        let warnings = Warnings()
        let damaged = try CacheDirectory(url: cacheURL, key: TestCacheKey.value, warn: warnings.handler)
        #expect(damaged.database.movedAsideTo != nil)
        #expect(warnings.messages.first?.contains("damaged") == true)
        #expect(try damaged.actions.statistics().records == 0)
    }
}
