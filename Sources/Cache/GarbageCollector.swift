import Foundation

/// Shrinks a cache to a policy: first action records, oldest use first (those past the age limit,
/// then as many more as it takes for the blobs still referenced to fit the size bound), then every
/// blob no remaining record refers to.
public enum GarbageCollector {
    public static func collect(_ cache: CacheDirectory, policy: GarbageCollectionPolicy,
                               now: Date = Date()) throws -> GarbageCollectionReport {
        var report = GarbageCollectionReport()
        // The current and the previous generation of every stage's outputs stay (`talos-batch diff`).
        let generations = try cache.actions.generationKeys()
        let manifests = try cache.actions.manifests()           // least recently used first
        let blobs = try cache.blobs.allBlobs()
        let sizes = Dictionary(blobs.map { ($0.digest, $0.size) }, uniquingKeysWith: { a, _ in a })

        var references = [Digest: Int]()
        for manifest in manifests {
            for digest in Set(manifest.outputs.map(\.digest)) { references[digest, default: 0] += 1 }
        }
        // Orphans from before this run: kept while young (an action may be being recorded right now).
        let keptOrphans = Set(blobs.filter {
            references[$0.digest] == nil && now.timeIntervalSince($0.modified) < policy.orphanGracePeriod
        }.map(\.digest))
        report.keptRecentOrphans = keptOrphans.count

        var keptBytes = references.keys.reduce(Int64(0)) { $0 + (sizes[$1] ?? 0) }
            + keptOrphans.reduce(Int64(0)) { $0 + (sizes[$1] ?? 0) }
        var removed = [Digest]()
        func drop(_ manifest: ActionManifest) {
            removed.append(manifest.key)
            for digest in Set(manifest.outputs.map(\.digest)) {
                references[digest, default: 1] -= 1
                if references[digest] == 0 {
                    references[digest] = nil
                    keptBytes -= sizes[digest] ?? 0
                }
            }
        }
        var remaining = manifests.filter { !generations.contains($0.key) }[...]
        if let maxAge = policy.maxAge {
            let cutoff = now.addingTimeInterval(-maxAge)
            while let oldest = remaining.first, oldest.lastUsed < cutoff {
                drop(oldest)
                remaining = remaining.dropFirst()
            }
        }
        if let maxSize = policy.maxSize {
            while keptBytes > maxSize, let oldest = remaining.first {
                drop(oldest)
                remaining = remaining.dropFirst()
            }
        }
        try cache.actions.remove(removed)
        report.removedRecords = removed.count
        report.remainingRecords = manifests.count - removed.count

        // One removal for all: a pack holding several dead blobs is rewritten once, not once per blob.
        var dead = Set<Digest>()
        for blob in blobs where references[blob.digest] == nil && !keptOrphans.contains(blob.digest) {
            dead.insert(blob.digest)
            report.removedBlobs += 1
            report.freedBytes += blob.size
        }
        try cache.blobs.remove(dead)
        report.remainingBlobs = blobs.count - report.removedBlobs
        report.remainingBytes = keptBytes
        report.removedFileStates = try cache.fileStates.forgetMissingFiles()
        report.removedTemporaries = cache.blobs.removeStaleTemporaries(olderThan: 3600, now: now)
        try cache.database.checkpoint()
        return report
    }
}
