import Cache
import Diagnostics
import Foundation
import Stages

/// Brings a cluster folder in line with its stages' recorded outputs, once every stage succeeded, under
/// the cluster lock. Files already holding the right bytes are left alone (their mtime stays).
///
/// Two steps, so that many clusters can share one sync: `stage` writes every changed file to a temp file
/// beside it (under the lock); `StagedCluster.finish` — after the caller made the temp files durable —
/// renames them into place, removes stale outputs and releases the lock.
struct ClusterCommit {
    let cache: CacheDirectory
    let cluster: ClusterContext

    /// Stages and finishes at once (one sync for this cluster alone).
    func apply(_ outcomes: [StageOutcome]) throws {
        guard let staged = try stage(outcomes, beforeWaiting: {}) else { return }
        defer { staged.abandon() }
        try FileSystemSync.sync(folder: staged.folder)
        try staged.finish()
    }

    /// Writes the changed files as temp files and returns them with the lock held; nil when every output
    /// is already in place. On error nothing is left behind and the cluster is as it was.
    /// `beforeWaiting` runs when another process holds the cluster's lock, before blocking on it: the
    /// caller must release every lock it holds there, or two processes could wait on each other.
    func stage(_ outcomes: [StageOutcome], beforeWaiting: () -> Void) throws -> StagedCluster? {
        // All fresh: nothing to write, no need to wait for the lock.
        if outcomes.allSatisfy({ $0.pending.isEmpty && $0.toRestore.isEmpty && $0.stale.isEmpty }) { return nil }
        let folder = cluster.folderPath
        let lock: ClusterLock
        if let free = try ClusterLock(folder: cluster.folder, wait: false) {
            lock = free
        } else {
            beforeWaiting()
            lock = try ClusterLock(folder: cluster.folder)
        }
        let staged = StagedCluster(folder: folder, cache: cache, lock: lock)
        do {
            for outcome in outcomes {
                for entry in outcome.outputs {
                    let path = folder + "/" + entry.path
                    if let bytes = outcome.pending[entry.path] {
                        if !isCurrent(entry, path: path) {
                            // issue 19: never write through a symbolic link, nor outside the cluster folder.
                            try OutputPath.refuseSymlinks(root: folder, relative: entry.path)
                            try staged.writes.add(bytes, to: path, mode: entry.mode)
                        }
                    } else if outcome.toRestore.contains(entry) {
                        try OutputPath.refuseSymlinks(root: folder, relative: entry.path)
                        guard try staged.writes.addRestore(entry.digest, from: cache.blobs, to: path, mode: entry.mode) else {
                            throw Diagnostic.error("cannot restore \(FleetLayout.displayPath(path)): its cached copy is missing or corrupt; rerun with --force")
                        }
                    }
                }
                staged.stale += outcome.stale
            }
        } catch {
            staged.abandon()
            throw error
        }
        return staged
    }

    /// Whether the file already holds the entry's bytes (then only its mode is corrected, and its mtime stays).
    private func isCurrent(_ entry: OutputEntry, path: String) -> Bool {
        guard let mode = AtomicFile.mode(of: path), let digest = try? cache.fileStates.digest(ofFileAtPath: path),
              digest == entry.digest else { return false }
        if mode != entry.mode { chmod(path, mode_t(entry.mode)) }
        return true
    }
}

/// A cluster's outputs written to temp files, waiting (lock held) for a sync and then `finish`.
final class StagedCluster {
    let folder: String
    private let cache: CacheDirectory
    private var lock: ClusterLock?
    var writes = StagedWrite()
    var stale: [OutputEntry] = []

    init(folder: String, cache: CacheDirectory, lock: ClusterLock) {
        self.folder = folder
        self.cache = cache
        self.lock = lock
    }

    /// Renames the (already durable) temp files into place, removes stale outputs, releases the lock.
    func finish() throws {
        defer { abandon() }
        try writes.renameAll()
        for entry in stale {
            let path = folder + "/" + entry.path
            // Only remove what this tool wrote and nobody changed since.
            if let digest = try? cache.fileStates.digest(ofFileAtPath: path), digest == entry.digest {
                unlink(path)
            }
        }
    }

    /// Removes temp files not renamed and releases the lock (idempotent).
    func abandon() {
        writes.discard()
        lock?.unlock()
        lock = nil
    }
}
