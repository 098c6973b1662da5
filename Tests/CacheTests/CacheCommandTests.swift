import Cache
import Foundation
import Testing
import TestSupport

/// The `cache` subcommands of the built binary, run on caches filled through the Cache API.
@Suite struct CacheCommandTests {
    func run(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(TestPaths.binary, arguments, environment: ["TALOS_BATCH_CACHE_DIR": "", "TALOS_BATCH_CACHE_KEY": TestCacheKey.text])
    }

    @Test func gcRespectsTheSizeBound() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let now = Date()
        var records = [ActionRecord]()
        for index in 0..<10 {
            records.append(try fixture.addAction("c\(index)", outputs: ["out.yaml": payload("blob\(index)", size: 100_000)],
                                                 lastUsed: now.addingTimeInterval(Double(index - 20) * 60)))
        }
        let result = try run(["cache", "gc", "--cache-dir", fixture.url.path, "--max-size", "350kB"])
        #expect(result.status == 0, "\(result.stderrString)")
        let blobs = try fixture.cache.blobs.allBlobs()
        #expect(blobs.reduce(0) { $0 + $1.size } <= 350_000)
        #expect(blobs.count == 3)
        // The three most recently used survive.
        for (index, record) in records.enumerated() {
            #expect((try fixture.cache.actions.lookup(record.key) != nil) == (index >= 7), "record \(index)")
        }
        #expect(result.stdoutString.contains("removed 7 action records and 7 blobs"))
    }

    @Test func gcRejectsBadSizes() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let result = try run(["cache", "gc", "--cache-dir", fixture.url.path, "--max-size", "lots"])
        #expect(result.status != 0)
        #expect(result.stderrString.contains("invalid size \"lots\""))
    }

    @Test func verifyFindsAFlippedByte() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let record = try fixture.addAction("home", outputs: ["home-cp1.yaml": payload("cp1", size: 5000),
                                                             "home-w1.yaml": payload("w1", size: 5000)], lastUsed: Date())
        let clean = try run(["cache", "verify", "--cache-dir", fixture.url.path])
        #expect(clean.status == 0)
        #expect(clean.stdoutString.contains("checked 2 blobs and 1 action records: all good"))

        let victim = record.outputs[0].digest
        let path = fixture.cache.blobs.path(of: victim)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[2500] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))

        let damaged = try run(["cache", "verify", "--cache-dir", fixture.url.path])
        #expect(damaged.status == 1)
        #expect(damaged.stdoutString.contains("corrupt blob \(victim.hex): removed"))
        #expect(damaged.stdoutString.contains("for home-cp1.yaml (stage render, cluster home)"))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try fixture.cache.actions.lookup(record.key) == nil)

        let again = try run(["cache", "verify", "--cache-dir", fixture.url.path])
        #expect(again.status == 0)
    }

    @Test func statsAndClear() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        try fixture.addAction("a", outputs: ["x": payload("a", size: 2048)], lastUsed: Date())
        try fixture.addAction("b", outputs: ["x": payload("b", size: 1024)], lastUsed: Date())
        try fixture.cache.actions.noteHit()
        try fixture.cache.actions.noteMiss()
        try fixture.cache.actions.noteMiss()
        let stats = try run(["cache", "stats", "--cache-dir", fixture.url.path])
        #expect(stats.status == 0)
        #expect(stats.stdoutString.contains("action records: 2\n"))
        #expect(stats.stdoutString.contains("blobs:          2 (3.0 KiB)"))
        #expect(stats.stdoutString.contains("hits:           1\n"))
        #expect(stats.stdoutString.contains("misses:         2 (hit rate 33.3%)"))

        let clear = try run(["cache", "clear", "--cache-dir", fixture.url.path])
        #expect(clear.status == 0)
        #expect(clear.stdoutString.contains("removed 2 action records and 2 blobs"))
        #expect(try fixture.cache.blobs.allBlobs().isEmpty)
        #expect(try fixture.cache.actions.statistics() == ActionCacheStatistics(records: 0, outputBytes: 0, hits: 0, misses: 0, fileStates: 0))
    }

    @Test func processesAndThreadsWriteOneCacheAtOnce() async throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let files = try (0..<150).map { index -> String in
            let path = fixture.directory.url.appendingPathComponent("input-\(index).txt").path
            try Data(payload("file\(index)", size: 300)).write(to: URL(fileURLWithPath: path))
            return path
        }
        let binary = TestPaths.binary
        let cacheDir = fixture.url.path
        let cache = fixture.cache
        // Two talos-batch processes record file states while this process records actions and counters.
        let results = try await withThrowingTaskGroup(of: ProcessResult?.self) { group in
            for order in [files, files.reversed()] {
                group.addTask {
                    try runProcess(binary, ["cache", "hash", "--cache-dir", cacheDir] + order,
                                   environment: ["TALOS_BATCH_CACHE_DIR": "", "TALOS_BATCH_CACHE_KEY": TestCacheKey.text])
                }
            }
            group.addTask {
                for index in 0..<150 {
                    let record = ActionRecord(key: Digest.of("action \(index)"), stage: "render", cluster: "c\(index)",
                                              outputs: [], inputs: [ActionInput(name: "i", digest: Digest.of("\(index)"))],
                                              created: Date(), lastUsed: Date(), duration: 0)
                    try cache.actions.record(record)
                    try cache.actions.noteMiss()
                }
                return nil
            }
            return try await group.reduce(into: [ProcessResult]()) { if let result = $1 { $0.append(result) } }
        }
        for result in results {
            #expect(result.status == 0, "\(result.stderrString)")
            #expect(!result.stderrString.contains("locked"))
            #expect(result.stdoutString.split(separator: "\n").count == files.count)
        }
        let stats = try fixture.cache.actions.statistics()
        #expect(stats.records == 150)
        #expect(stats.misses == 150)
        #expect(stats.fileStates == 150)
        let expected = Digest.of(payload("file7", size: 300)).hex + "  " + files[7]
        #expect(results.allSatisfy { $0.stdoutString.contains(expected) })
    }
}
