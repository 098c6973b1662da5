import Cache
import Foundation
import Testing

@Suite struct GarbageCollectorTests {
    let now = Date()

    @Test func sizeBoundDropsLeastRecentlyUsedFirst() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let oldest = try fixture.addAction("a", outputs: ["x": payload("a", size: 4000)], lastUsed: now.addingTimeInterval(-300))
        let middle = try fixture.addAction("b", outputs: ["x": payload("b", size: 4000)], lastUsed: now.addingTimeInterval(-200))
        let newest = try fixture.addAction("c", outputs: ["x": payload("c", size: 4000),
                                                          "shared": payload("a", size: 4000)], lastUsed: now.addingTimeInterval(-100))
        let report = try GarbageCollector.collect(fixture.cache, policy: GarbageCollectionPolicy(maxSize: 9000), now: now)
        #expect(report.removedRecords == 2)
        #expect(try fixture.cache.actions.lookup(oldest.key) == nil)
        #expect(try fixture.cache.actions.lookup(middle.key) == nil)
        #expect(try fixture.cache.actions.lookup(newest.key) != nil)
        // "a"'s blob is still referenced by the newest record, so it stays; "b"'s goes.
        let blobs = try fixture.cache.blobs.allBlobs()
        #expect(Set(blobs.map(\.digest)) == Set(newest.outputs.map(\.digest)))
        #expect(blobs.reduce(0) { $0 + $1.size } <= 9000)
        #expect(report.remainingBytes == 8000)
        #expect(report.removedBlobs == 1)
    }

    @Test func ageBoundAndUnboundedRun() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let stale = try fixture.addAction("stale", outputs: ["x": payload("s", size: 10)], lastUsed: now.addingTimeInterval(-40 * 86_400))
        let fresh = try fixture.addAction("fresh", outputs: ["x": payload("f", size: 10)], lastUsed: now.addingTimeInterval(-86_400))
        let report = try GarbageCollector.collect(fixture.cache, policy: GarbageCollectionPolicy(maxAge: 30 * 86_400), now: now)
        #expect(report.removedRecords == 1)
        #expect(try fixture.cache.actions.lookup(stale.key) == nil)
        #expect(try fixture.cache.actions.lookup(fresh.key) != nil)
        #expect(!fixture.cache.blobs.contains(stale.outputs[0].digest))
        #expect(fixture.cache.blobs.contains(fresh.outputs[0].digest))
    }

    @Test func orphanBlobsGoUnlessJustWritten() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let oldOrphan = try fixture.cache.blobs.put(payload("old", size: 100))
        fixture.age(oldOrphan, seconds: 3600)
        let newOrphan = try fixture.cache.blobs.put(payload("new", size: 100))
        let report = try GarbageCollector.collect(fixture.cache, policy: GarbageCollectionPolicy(), now: now)
        #expect(!fixture.cache.blobs.contains(oldOrphan))
        #expect(fixture.cache.blobs.contains(newOrphan))
        #expect(report.keptRecentOrphans == 1)
        // With no grace period it goes too — judged by a clock past its write (`now` was read before the
        // blob was written, which on a slow machine is more than a file-time tick earlier).
        _ = try GarbageCollector.collect(fixture.cache, policy: GarbageCollectionPolicy(orphanGracePeriod: 0),
                                         now: Date().addingTimeInterval(1))
        #expect(!fixture.cache.blobs.contains(newOrphan))
    }

    @Test func verifierFindsCorruptionAndMissingOutputs() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let good = try fixture.addAction("good", outputs: ["x": payload("g", size: 50)], lastUsed: now)
        let damaged = try fixture.addAction("damaged", outputs: ["x": payload("d", size: 50)], lastUsed: now)
        let lost = try fixture.addAction("lost", outputs: ["x": payload("l", size: 50)], lastUsed: now)
        try flipFirstByte(of: fixture.cache.blobs.path(of: damaged.outputs[0].digest))
        try fixture.cache.blobs.remove(lost.outputs[0].digest)

        let report = try CacheVerifier.verify(fixture.cache)
        #expect(!report.isClean)
        #expect(report.checkedBlobs == 2)
        #expect(report.corruptBlobs == [damaged.outputs[0].digest])
        #expect(Set(report.missingOutputs.map(\.record)) == [damaged.key, lost.key])
        #expect(try fixture.cache.actions.lookup(good.key) != nil)
        #expect(try fixture.cache.actions.lookup(damaged.key) == nil)
        #expect(try fixture.cache.actions.lookup(lost.key) == nil)
        // Repaired: a second run is clean.
        #expect(try CacheVerifier.verify(fixture.cache).isClean)
    }

    @Test func clearEmptiesEverything() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        try fixture.addAction("a", outputs: ["x": payload("a", size: 10)], lastUsed: now)
        try fixture.cache.actions.noteHit()
        try fixture.cache.clear()
        let stats = try CacheStatistics.gather(fixture.cache)
        #expect(stats.actions.records == 0)
        #expect(stats.blobs == 0)
        #expect(stats.actions.hits == 0)
    }
}
