import Cache
import Foundation
import Testing
import TestSupport

@Suite struct ActionCacheTests {
    func sampleRecord(stage: String = "genconfig", cluster: String = "home", seed: String = "a",
                      created: Date = Date(timeIntervalSince1970: 1_700_000_000)) -> ActionRecord {
        let key = ActionKey(stage: stage, stageVersion: "1", toolVersion: "0.1.0", parameters: [("cluster", cluster)],
                            inputs: [("talconfig.yaml", Digest.of(seed))])
        return ActionRecord(
            key: key.digest, stage: stage, cluster: cluster,
            outputs: [OutputEntry(path: "clusterconfig/home-cp1.yaml", digest: Digest.of("cp1" + seed), mode: 0o600, size: 1234),
                      OutputEntry(path: "clusterconfig/talosconfig", digest: Digest.of("tc" + seed), mode: 0o600, size: 99)],
            inputs: key.inputs, created: created, lastUsed: created, duration: 0.25)
    }

    @Test func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = try ActionCache(path: directory.url.appendingPathComponent("cache.db"), warn: CacheWarning.ignore)
        let record = sampleRecord()
        #expect(try cache.lookup(record.key) == nil)
        try cache.record(record)
        #expect(try cache.lookup(record.key) == record)

        // A second connection (as another process would have) sees the same record.
        let other = try ActionCache(path: directory.url.appendingPathComponent("cache.db"), warn: CacheWarning.ignore)
        #expect(try other.lookup(record.key) == record)

        // Re-recording replaces outputs and inputs rather than appending to them.
        var replaced = record
        replaced.outputs = [replaced.outputs[1]]
        replaced.inputs = []
        try cache.record(replaced)
        #expect(try other.lookup(record.key) == replaced)
    }

    @Test func markUsedAndLastRecord() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = try ActionCache(path: directory.url.appendingPathComponent("cache.db"), warn: CacheWarning.ignore)
        let older = sampleRecord(seed: "old", created: Date(timeIntervalSince1970: 1_700_000_000))
        let newer = sampleRecord(seed: "new", created: Date(timeIntervalSince1970: 1_700_000_500))
        let elsewhere = sampleRecord(cluster: "lab", seed: "lab", created: Date(timeIntervalSince1970: 1_700_000_900))
        for record in [newer, older, elsewhere] { try cache.record(record) }
        #expect(try cache.lastRecord(stage: "genconfig", cluster: "home") == newer)
        #expect(try cache.lastRecord(stage: "genconfig", cluster: "lab") == elsewhere)
        #expect(try cache.lastRecord(stage: "render", cluster: "home") == nil)

        let used = Date(timeIntervalSince1970: 1_800_000_000)
        try cache.markUsed(older.key, at: used)
        #expect(try cache.lookup(older.key)?.lastUsed == used)
        // Never moves backwards.
        try cache.markUsed(older.key, at: Date(timeIntervalSince1970: 1))
        #expect(try cache.lookup(older.key)?.lastUsed == used)
        // Least recently used first.
        #expect(try cache.manifests().map(\.key) == [newer.key, elsewhere.key, older.key])

        try cache.remove(newer.key)
        #expect(try cache.lookup(newer.key) == nil)
        #expect(try cache.statistics().records == 2)
    }

    @Test func hitAndMissCounters() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = try ActionCache(path: directory.url.appendingPathComponent("cache.db"), warn: CacheWarning.ignore)
        try cache.noteHit(); try cache.noteHit(); try cache.noteMiss()
        try cache.record(sampleRecord())
        let stats = try cache.statistics()
        #expect(stats.hits == 2)
        #expect(stats.misses == 1)
        #expect(stats.records == 1)
        #expect(stats.outputBytes == 1234 + 99)
    }

    @Test func concurrentWritersInOneProcess() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("cache.db")
        // Separate connections, as separate processes would use.
        let caches = try (0..<4).map { _ in try ActionCache(path: path, warn: CacheWarning.ignore) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, cache) in caches.enumerated() {
                group.addTask {
                    for n in 0..<50 {
                        try cache.record(sampleRecord(seed: "\(index)-\(n)"))
                        try cache.noteMiss()
                    }
                }
            }
            try await group.waitForAll()
        }
        let stats = try caches[0].statistics()
        #expect(stats.records == 200)
        #expect(stats.misses == 200)
    }
}
