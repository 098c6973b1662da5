import Cache
import Foundation
import TestSupport

/// A cache in a temporary folder, filled through the Cache API.
struct CacheFixture {
    let directory: TemporaryDirectory
    let cache: CacheDirectory

    init() throws {
        directory = try TemporaryDirectory()
        cache = try CacheDirectory(url: directory.url.appendingPathComponent("cache"), key: TestCacheKey.value, warn: CacheWarning.ignore)
    }

    var url: URL { cache.url }

    /// Records an action whose outputs are `outputs` (stored as blobs), last used at `lastUsed`.
    @discardableResult
    func addAction(_ name: String, outputs: [String: [UInt8]], lastUsed: Date) throws -> ActionRecord {
        let key = ActionKey(stage: "render", stageVersion: "1", toolVersion: "test", parameters: [("cluster", name)], inputs: [])
        let entries = try outputs.keys.sorted().map { path in
            let bytes = outputs[path]!
            return OutputEntry(path: path, digest: try cache.blobs.put(bytes), mode: 0o644, size: Int64(bytes.count))
        }
        let record = ActionRecord(key: key.digest, stage: "render", cluster: name, outputs: entries, inputs: [],
                                  created: lastUsed, lastUsed: lastUsed, duration: 0.1)
        try cache.actions.record(record)
        return record
    }

    /// Sets a blob file's modification time into the past (out of the gc grace period).
    func age(_ digest: Digest, seconds: TimeInterval) {
        let when = Date().addingTimeInterval(-seconds)
        try? FileManager.default.setAttributes([.modificationDate: when], ofItemAtPath: cache.blobs.path(of: digest))
    }

    func remove() { directory.remove() }
}

/// n bytes that differ per seed.
func payload(_ seed: String, size: Int) -> [UInt8] {
    let pattern = Array(seed.utf8)
    return (0..<size).map { pattern[$0 % pattern.count] &+ UInt8(truncatingIfNeeded: $0 / pattern.count) }
}

/// A fixed cache key for tests (the process's own would create a key file in the user's config folder).
/// The same text as `TALOS_BATCH_CACHE_KEY` gives the built binary the same key.
enum TestCacheKey {
    static let text = "talos-batch test cache key, not a secret"
    static let value: CacheKey? = CacheKey(secret: Array(text.utf8), origin: "test")
}
