import Cache
import Foundation
import Testing
import TestSupport

/// Issue 19: a garbage `cache.db-wal` and an empty `cache.db` are reported (a warning at open, and by
/// `cache verify`) and cost nothing else; a sound log, as SQLite writes it, is never reported.
@Suite struct WriteAheadLogDamageTests {
    @Test func aLiveLogWrittenBySQLiteIsNotReported() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("cache.db")
        let first = try CacheDatabase(url: path)
        let actions = ActionCache(database: first)
        for _ in 0..<20 { try actions.noteHit() }
        // The first connection stays open, so its log stays in place with committed frames.
        let wal = (try FileManager.default.attributesOfItem(atPath: path.path + "-wal")[.size] as? Int) ?? 0
        #expect(wal > 32)
        let warnings = Warnings()
        let second = try CacheDatabase(url: path, warn: warnings.handler)
        #expect(second.damageAtOpen.isEmpty)
        #expect(warnings.messages.isEmpty)
        #expect(try ActionCache(database: second).statistics().hits == 20)
    }

    @Test func aGarbageLogIsReportedAndReset() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("cache.db")
        do {
            let database = try CacheDatabase(url: path)
            try ActionCache(database: database).noteHit()
        }
        try Data(String(repeating: "garbage ", count: 600).utf8).write(to: URL(fileURLWithPath: path.path + "-wal"))
        let warnings = Warnings()
        let database = try CacheDatabase(url: path, warn: warnings.handler)
        #expect(database.damageAtOpen.count == 1)
        #expect(database.damageAtOpen.first?.contains("cache.db-wal: not an SQLite write-ahead log") == true)
        #expect(warnings.messages.count == 1)
        // Nothing of the database was lost, and the log was reset.
        #expect(try ActionCache(database: database).statistics().hits == 1)
        let size = (try FileManager.default.attributesOfItem(atPath: path.path + "-wal")[.size] as? Int) ?? -1
        #expect(size == 0)
        #expect(try CacheDatabase(url: path).damageAtOpen.isEmpty)
    }

    @Test func anEmptyDatabaseBesideBlobsIsReported() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            // Closed before the damage: a live connection would hold the file's locks.
            let cache = try CacheDirectory(url: directory.url.appendingPathComponent("c"))
            _ = try cache.blobs.put(Array("some output".utf8))
            try ActionCache(database: cache.database).noteHit()
        }
        let database = directory.url.appendingPathComponent("c/cache.db")
        try? FileManager.default.removeItem(atPath: database.path + "-wal")
        try Data().write(to: database)
        let warnings = Warnings()
        let reopened = try CacheDirectory(url: directory.url.appendingPathComponent("c"), warn: warnings.handler)
        #expect(reopened.database.damageAtOpen.first?.contains("empty while blobs are stored") == true)
        let report = try CacheVerifier.verify(reopened)
        #expect(!report.isClean)
        // A cache that never stored anything starts from an empty file without a word.
        let fresh = Warnings()
        #expect(try CacheDirectory(url: directory.url.appendingPathComponent("new"), warn: fresh.handler).database.damageAtOpen.isEmpty)
        #expect(fresh.messages.isEmpty)
    }
}
