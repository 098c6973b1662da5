import Cache
import Foundation
import Testing

/// `cache gc` keeps the generation before each kept output (what `talos-batch diff` compares with).
@Suite struct PreviousGenerationGCTests {
    let now = Date()

    /// A record of cluster-1's genconfig stage created and last used at `date`.
    func generation(_ fixture: CacheFixture, _ seed: String, at date: Date) throws -> ActionRecord {
        let bytes = payload(seed, size: 100)
        let entry = OutputEntry(path: "clusterconfig/a.yaml", digest: try fixture.cache.blobs.put(bytes, secret: true),
                                mode: 0o600, size: 100)
        let key = ActionKey(stage: "genconfig", stageVersion: "1", toolVersion: "test", parameters: [("seed", seed)], inputs: [])
        let record = ActionRecord(key: key.digest, stage: "genconfig", cluster: "cluster-1", outputs: [entry], inputs: [],
                                  created: date, lastUsed: date, duration: 0.1)
        try fixture.cache.actions.record(record)
        return record
    }

    @Test func ageBoundKeepsThePreviousGenerationOfAKeptOutputOnly() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let oldest = try generation(fixture, "g1", at: now.addingTimeInterval(-60 * 86_400))
        let previous = try generation(fixture, "g2", at: now.addingTimeInterval(-50 * 86_400))
        let current = try generation(fixture, "g3", at: now.addingTimeInterval(-86_400))
        #expect(try fixture.cache.actions.records(stage: "genconfig", cluster: "cluster-1").map(\.key)
                == [current.key, previous.key, oldest.key])
        #expect(try fixture.cache.actions.previousGenerations() == [previous.key: current.key])

        let report = try GarbageCollector.collect(fixture.cache, policy: GarbageCollectionPolicy(maxAge: 30 * 86_400), now: now)
        #expect(report.removedRecords == 1)
        #expect(try fixture.cache.actions.lookup(oldest.key) == nil)
        #expect(!fixture.cache.blobs.contains(oldest.outputs[0].digest))
        // The previous generation is 50 days old but stays with its current one, bytes included (sealed).
        #expect(try fixture.cache.actions.lookup(previous.key) != nil)
        #expect(try fixture.cache.blobs.read(previous.outputs[0].digest) == payload("g2", size: 100))

        // Once the current generation ages out, both go, the previous one first.
        let later = try GarbageCollector.collect(fixture.cache, policy: GarbageCollectionPolicy(maxAge: 30 * 86_400),
                                                 now: now.addingTimeInterval(40 * 86_400))
        #expect(later.removedRecords == 2)
        #expect(try fixture.cache.actions.records(stage: "genconfig", cluster: "cluster-1").isEmpty)
    }
}
