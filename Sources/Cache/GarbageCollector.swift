import FoundationEssentials
import Glibc

/// Shrinks a cache to a policy: first action records, oldest use first (those past the age limit,
/// then as many more as it takes for the blobs still referenced to fit the size bound), then every
/// blob no remaining record refers to.
public enum GarbageCollector {
    public static func collect(_ cache: CacheDirectory, policy: GarbageCollectionPolicy,
                               now: Date = Date()) throws -> GarbageCollectionReport {
        var report = GarbageCollectionReport()
        let manifests = Self.keepingPreviousGenerations(try cache.actions.manifests(),   // least recently used first
                                                        previous: try cache.actions.previousGenerations())
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
        var remaining = manifests[...]
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
        report.remainingRecords = remaining.count

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

    /// The manifests in removal order with each previous generation (`talos-batch diff`) counted as used
    /// when its current generation was, and placed just before it: the size and age bounds still hold,
    /// and a kept output keeps the generation before it unless the bound needs that space.
    static func keepingPreviousGenerations(_ manifests: [ActionManifest], previous: [Digest: Digest]) -> [ActionManifest] {
        guard !previous.isEmpty else { return manifests }
        let lastUsed = Dictionary(manifests.map { ($0.key, $0.lastUsed) }, uniquingKeysWith: { a, _ in a })
        func effective(_ manifest: ActionManifest) -> Date {
            guard let current = previous[manifest.key], let currentUse = lastUsed[current] else { return manifest.lastUsed }
            return max(manifest.lastUsed, currentUse)
        }
        let ordered: [(manifest: ActionManifest, used: Date, isPrevious: Bool)] =
            manifests.map { ($0, effective($0), previous[$0.key] != nil) }
        return ordered.sorted { a, b in
            if a.used != b.used { return a.used < b.used }
            if a.isPrevious != b.isPrevious { return a.isPrevious }
            return a.manifest.key < b.manifest.key
        }.map { entry in
            var manifest = entry.manifest
            manifest.lastUsed = entry.used   // what the age bound compares
            return manifest
        }
    }
}
