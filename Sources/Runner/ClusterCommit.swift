import Cache
import Diagnostics
import Foundation
import Stages

/// Brings a cluster folder in line with its stages' recorded outputs, once every stage succeeded, under
/// the cluster lock. Files already holding the right bytes are left alone (their mtime stays).
struct ClusterCommit {
    let cache: CacheDirectory
    let cluster: ClusterContext

    func apply(_ outcomes: [StageOutcome]) throws {
        // All fresh: nothing to write, no need to wait for the lock.
        if outcomes.allSatisfy({ $0.pending.isEmpty && $0.toRestore.isEmpty && $0.stale.isEmpty }) { return }
        let lock = try ClusterLock(folder: cluster.folder)
        defer { lock.unlock() }
        for outcome in outcomes {
            for entry in outcome.outputs {
                let path = cluster.folder.appendingPathComponent(entry.path, isDirectory: false).path
                if let bytes = outcome.pending[entry.path] {
                    try writeIfChanged(bytes, entry: entry, path: path)
                } else if outcome.toRestore.contains(entry) {
                    try AtomicFile.createFolder(URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                secret: entry.mode & 0o077 == 0)
                    guard try cache.blobs.restore(entry.digest, to: path, mode: entry.mode) else {
                        throw Diagnostic.error("cannot restore \(FleetLayout.displayPath(path)): its cached copy is missing or corrupt; rerun with --force")
                    }
                }
            }
            for entry in outcome.stale {
                let path = cluster.folder.appendingPathComponent(entry.path, isDirectory: false).path
                // Only remove what this tool wrote and nobody changed since.
                if let digest = try? cache.fileStates.digest(ofFileAtPath: path), digest == entry.digest {
                    unlink(path)
                }
            }
        }
    }

    private func writeIfChanged(_ bytes: [UInt8], entry: OutputEntry, path: String) throws {
        if let mode = AtomicFile.mode(of: path), let digest = try? cache.fileStates.digest(ofFileAtPath: path),
           digest == entry.digest {
            if mode != entry.mode { chmod(path, mode_t(entry.mode)) }
            return
        }
        try AtomicFile.write(bytes, to: path, mode: entry.mode)
    }
}
