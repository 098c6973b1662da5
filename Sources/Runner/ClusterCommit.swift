import Cache
import Diagnostics
import FoundationEssentials
import Glibc
import Stages
import SystemKit

/// Brings a cluster folder in line with its stages' recorded outputs, once every stage succeeded, under
/// the cluster lock. Files already holding the right bytes are left alone (their mtime stays).
///
/// Two steps, so that many clusters can share one sync (`regen --fsync`): `stage` writes every changed file
/// to a temp file beside it, or an unnamed one (under the lock); `StagedCluster.finish` — at once, or after
/// `OutputCommitter` made the temp files durable — renames or links them into place, removes stale outputs
/// and releases the lock.
struct ClusterCommit {
    let cache: CacheDirectory
    let cluster: ClusterContext
    let fileSystem: any FileSystem
    /// Outputs that were not there are written unnamed and linked into place (`StagedWrite.linksUnnamedFiles`):
    /// only when the commit renames at once, not when it waits for a group's sync.
    var linksUnnamedFiles = false

    /// Writes the changed files as temp files and returns them with the lock held; nil when every output
    /// is already in place. On error nothing is left behind and the cluster is as it was.
    /// `beforeWaiting` runs when another process holds the cluster's lock, before blocking on it: the
    /// caller must release every lock it holds there, or two processes could wait on each other.
    func stage(_ stages: [StageWork], beforeWaiting: () -> Void) throws -> StagedCluster? {
        let folder = cluster.folderPath
        // Temp files a killed run left in the folders this commit writes to (issue 19).
        // (Each relative path split at its last "/" in the UTF-8 view: no grapheme breaking of whole paths.)
        var folders: Set<String> = [folder]
        for work in stages {
            for entry in work.outcome.outputs {
                if let slash = entry.path.utf8.lastIndex(of: UInt8(ascii: "/")) { folders.insert(folder + "/" + entry.path[..<slash]) }
            }
        }
        let outputFolders = folders.sorted()
        // All fresh: nothing to write, no need to wait for the lock. A killed run may still have left temp
        // files here — the old copies it moved aside after renaming its outputs in, once its records were
        // committed mid-run — so they go too (only a dead writer's: safe without the lock).
        if stages.allSatisfy(\.changesNothing) {
            StaleTemporaryFiles.remove(in: outputFolders)
            return nil
        }
        let lock: ClusterLock
        if let free = try ClusterLock(folder: cluster.folder, wait: false) {
            lock = free
        } else {
            beforeWaiting()
            lock = try ClusterLock(folder: cluster.folder)
        }
        let listings = StaleTemporaryFiles.remove(in: outputFolders)
        let staged = StagedCluster(folder: folder, cache: cache, lock: lock, fileSystem: fileSystem)
        staged.writes.linksUnnamedFiles = linksUnnamedFiles
        staged.writes.folderDescriptor = lock.folderDescriptor.map { (folder, $0) }
        // issue 19: never write through a symbolic link, nor outside the cluster folder. One `lstat` per
        // written output (its folders once per cluster) both checks that and says whether the file is there.
        var checkedFolders: Set<Substring> = []
        do {
            for work in stages {
                for entry in work.outcome.outputs {
                    let pending = work.pending[entry.path]
                    let path = folder + "/" + entry.path
                    guard pending != nil || work.toRestore.contains(entry) else {
                        // Fresh when the stage was decided, changed since: another run committed this cluster
                        // meanwhile (issue 19). Put this run's copy back, so that every output of the cluster —
                        // the admin certificate and the talosconfig holding it — comes from one run.
                        if !isCurrent(entry, path: path) {
                            try OutputPath.refuseSymlinks(root: folder, relative: entry.path)
                            guard try staged.writes.addRestore(entry.digest, from: cache.blobs, to: path, mode: entry.mode) else {
                                throw Diagnostic.error("\(FleetLayout.displayPath(path)) was changed by another run while this one "
                                                       + "was working; nothing of \(cluster.name) was written: run again")
                            }
                        }
                        continue
                    }
                    let target = try OutputPath.lstatCheckingFolders(root: folder, relative: entry.path, checkedFolders: &checkedFolders,
                                                                     listedAbsent: Self.isListedAbsent(path, in: listings))
                    let isLink = target.map { ($0.st_mode & S_IFMT) == S_IFLNK } ?? false
                    if let bytes = pending {
                        // A missing file is not current; a link is judged by what it points to, as before.
                        let current = target.map { isLink ? isCurrent(entry, path: path) : isCurrent(entry, path: path, mode: UInt32($0.st_mode) & 0o7777) } ?? false
                        if !current {
                            if isLink { try OutputPath.refuseSymlinks(root: folder, relative: entry.path) }
                            try staged.writes.add(bytes, to: path, mode: entry.mode, absent: target == nil)
                        }
                    } else {
                        if isLink { try OutputPath.refuseSymlinks(root: folder, relative: entry.path) }
                        guard try staged.writes.addRestore(entry.digest, from: cache.blobs, to: path, mode: entry.mode, absent: target == nil) else {
                            throw Diagnostic.error("cannot restore \(FleetLayout.displayPath(path)): its cached copy is missing or corrupt; rerun with --force")
                        }
                    }
                }
            }
            staged.stale = Self.removable(stages.flatMap(\.stale), of: stages, folder: folder)
        } catch {
            staged.abandon()
            throw error
        }
        return staged
    }

    /// The stale outputs (those of an earlier result that this one does not write) that may be removed. They
    /// come from a recorded result, which the cache can forge, and after a moved output folder they lie
    /// outside the stages' declared outputs; so only plain relative paths inside the cluster folder, reached
    /// through no symbolic link, that are neither an input nor an output of this run (`talenv.yaml`, the
    /// secrets, the rendered talconfig) — and `finish` also wants the bytes talos-batch wrote there.
    static func removable(_ stale: [OutputEntry], of stages: [StageWork], folder: String) -> [OutputEntry] {
        var kept = Set(stages.flatMap { $0.outcome.outputs.map(\.path) })
        for work in stages {
            for input in work.fileInputs where input.path.hasPrefix(folder + "/") {
                kept.insert(String(input.path.dropFirst(folder.count + 1)))
            }
        }
        return stale.filter { entry in
            OutputPath.isPlainRelative(entry.path) && !kept.contains(entry.path)
                && !GenconfigStage.clusterFolderFiles.contains(entry.path)
                && (try? OutputPath.refuseSymlinks(root: folder, relative: entry.path)) != nil
        }
    }

    /// Whether the folder listing taken under the lock holds no entry named like the file at `path`.
    static func isListedAbsent(_ path: String, in listings: [String: Set<String>]) -> Bool {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")), let names = listings[String(path[..<slash])] else { return false }
        return !names.contains(String(path[path.utf8.index(after: slash)...]))
    }

    /// Whether the file already holds the entry's bytes (then only its mode is corrected, and its mtime stays).
    private func isCurrent(_ entry: OutputEntry, path: String) -> Bool {
        guard let mode = AtomicFile.mode(of: path) else { return false }
        return isCurrent(entry, path: path, mode: mode)
    }

    /// The same, for a file whose permission bits are already known.
    private func isCurrent(_ entry: OutputEntry, path: String, mode: UInt32) -> Bool {
        guard let digest = try? cache.fileStates.digest(ofFileAtPath: path), digest == entry.digest else { return false }
        if mode != entry.mode { chmod(path, mode_t(entry.mode)) }
        return true
    }
}

/// A cluster's outputs written to temp files, waiting (lock held) for a sync and then `finish`.
final class StagedCluster {
    let folder: String
    private let cache: CacheDirectory
    private var lock: ClusterLock?
    var writes: StagedWrite
    var stale: [OutputEntry] = []

    init(folder: String, cache: CacheDirectory, lock: ClusterLock, fileSystem: any FileSystem) {
        self.folder = folder
        self.cache = cache
        self.lock = lock
        writes = StagedWrite(fileSystem: fileSystem)
    }

    /// Renames the temp files (durable first with `--fsync`) into place, removes stale outputs, releases the lock.
    func finish() throws {
        defer { abandon() }
        try writes.renameAll()
        var emptied: Set<String> = []
        for entry in stale {
            let path = folder + "/" + entry.path
            // Only remove what this tool wrote and nobody changed since.
            if let digest = try? cache.fileStates.digest(ofFileAtPath: path), digest == entry.digest {
                writes.fileSystem.unlink(path)
                if entry.path.contains("/") { emptied.insert(path.pathDeletingLastComponent) }
            }
        }
        // A former output folder (the setting moved) goes too once nothing is left in it; rmdir never
        // removes a folder that still holds a file, ours or the user's.
        for path in emptied.sorted(by: >) { rmdir(path) }
    }

    /// Removes temp files not renamed and releases the lock (idempotent).
    func abandon() {
        writes.discard()
        lock?.unlock()
        lock = nil
    }
}
