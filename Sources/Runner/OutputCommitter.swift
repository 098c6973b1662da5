import Cache
import Diagnostics
import Dispatch
import FoundationEssentials
import Glibc
import Stages
import SystemKit

/// The commit path of a run: takes each cluster whose stages all succeeded, brings its folder in line with
/// its stages' outputs, stamps it, and reports it finished. Everything after the stages happens here.
///
/// Every output is written to a temp file and renamed into place, so a crash of the process leaves each
/// file either old or new, never half-written. By default the temp files are not synced first (as git
/// checkout, ninja or Bazel leave generated files to the page cache): a cluster is staged and renamed at
/// once, on the worker that finished its last stage, holding its lock only meanwhile. After a power cut a
/// file may then be empty or short under its real name; its stamp no longer matches, so the next `regen`
/// rewrites it (docs/reliability.md, "Durability").
///
/// With `syncsOutputs` (`regen --fsync`), group commit: staged clusters (temp files written, lock held)
/// are collected and made durable together — one `syncfs` per group instead of one fsync per file — then
/// renamed into place and stamped. Nothing is renamed before it is durable. A full group is committed on a
/// serial queue of its own while the stage workers go on: the `syncfs` waits for the disk (tens of
/// milliseconds per group), which then idles no worker. One group at a time: a worker that fills the next
/// one while the last is still being committed waits for it, so at most two groups' locks are held.
///
/// Either way cache records are committed in chunks as clusters finish and at the end (see `RegenRunner`):
/// one committed before its cluster's rename only names blobs, so after a crash the next run restores.
final class OutputCommitter: @unchecked Sendable {  // @unchecked: `waiting` (non-Sendable staged clusters) is only touched under `lock`, `inFlight` under `flight`
    /// Clusters per sync: enough to amortise the journal commit, few enough to bound held locks (one
    /// descriptor each) and how long outputs wait.
    static let groupSize = 64

    /// Called once per committed cluster, after its stamp: its stages' work and what went wrong writing.
    typealias Finished = @Sendable (_ id: String, _ stages: [StageWork], _ diagnostics: [Diagnostic]) -> Void

    private let cache: CacheDirectory
    private let fileSystem: any FileSystem
    private let stamps: StampRecorder
    private let finished: Finished
    /// Whether outputs are synced before they are renamed (`regen --fsync`).
    let syncsOutputs: Bool
    private let lock = Lock()
    private var waiting: [Waiting] = []
    /// The group being committed in the background, if any (its commit signals `flight` when done).
    private let flight = Condition()
    /// Where full groups are committed: a serial queue of its own (an overcommitting one, so a busy worker
    /// pool never delays it).
    private let committing = DispatchQueue(label: "talos-batch.output-commit")
    private var inFlight = false

    private struct Waiting {
        var cluster: ClusterContext
        var stages: [StageWork]
        var staged: StagedCluster
    }

    init(cache: CacheDirectory, fileSystem: any FileSystem, stamps: StampRecorder, syncsOutputs: Bool,
         finished: @escaping Finished) {
        self.cache = cache
        self.fileSystem = fileSystem
        self.stamps = stamps
        self.syncsOutputs = syncsOutputs
        self.finished = finished
    }

    /// Commits a cluster whose stages all succeeded (`stages` in pipeline order). With nothing to write, or
    /// without `syncsOutputs`, it is committed, stamped and finished at once; otherwise its files are
    /// staged and it finishes with its group.
    /// Returns false when staging failed (the cluster is then finished with the error).
    @discardableResult
    func commit(_ cluster: ClusterContext, stages: [StageWork]) -> Bool {
        // Written out below, the bytes are no longer needed: the commit keeps the digests, not the bytes
        // (memory stays flat in fleet size).
        var kept = stages
        do {
            // Another process holds the cluster's lock: commit this process's waiting group first (its
            // locks released), or two processes could each wait for a lock the other holds.
            let staged = try ClusterCommit(cache: cache, cluster: cluster, fileSystem: fileSystem, linksUnnamedFiles: !syncsOutputs)
                .stage(stages, beforeWaiting: drain)
            for index in kept.indices { kept[index].pending = [:] }
            guard let staged else {
                done(cluster, kept, [])
                return true
            }
            let ready = Waiting(cluster: cluster, stages: kept, staged: staged)
            guard syncsOutputs else {
                finish([ready])
                return true
            }
            let group: [Waiting]? = lock.withLock {
                waiting.append(ready)
                guard waiting.count >= Self.groupSize else { return nil }
                defer { waiting = [] }
                return waiting
            }
            if let group { commitInBackground(group) }
            return true
        } catch let diagnostic as Diagnostic {
            done(cluster, kept, [diagnostic])
        } catch {
            done(cluster, kept, [.error("\(cluster.name): writing outputs failed: \(ErrorMessage.text(error))")])
        }
        return false
    }

    /// Commits whatever is waiting, and waits for the group being committed in the background: on return
    /// every lock this committer took is released.
    func drain() {
        let group = lock.withLock {
            defer { waiting = [] }
            return waiting
        }
        awaitFlight()
        finish(group)
    }

    /// Hands a full group to the committing queue, once the previous one is done.
    private func commitInBackground(_ group: [Waiting]) {
        flight.withLock {
            while inFlight { flight.wait() }
            inFlight = true
        }
        let handed = HandedGroup(group: group)
        committing.async { [self] in
            finish(handed.group)
            flight.withLock {
                inFlight = false
                flight.broadcast()
            }
        }
    }

    private func awaitFlight() {
        flight.withLock { while inFlight { flight.wait() } }
    }

    /// A group passed to the committing thread; nothing else touches it from then on.
    private struct HandedGroup: @unchecked Sendable {
        let group: [Waiting]
    }

    /// Renames a group's staged files into place (synced first with `syncsOutputs`), then stamps and
    /// reports each cluster.
    private func finish(_ group: [Waiting]) {
        guard !group.isEmpty else { return }
        // One sync per file system the group writes to (in practice one).
        var synced: [UInt64: Error?] = [:]
        for waiting in group {
            let staged = waiting.staged
            var diagnostics: [Diagnostic] = []
            let writes = !staged.writes.isEmpty
            do {
                defer { staged.abandon() }
                if syncsOutputs { try sync(staged, synced: &synced) }
                try staged.finish()
            } catch let diagnostic as Diagnostic {
                diagnostics = [diagnostic]
            } catch {
                diagnostics = [.error("\(waiting.cluster.name): writing outputs failed: \(ErrorMessage.text(error))")]
            }
            done(waiting.cluster, waiting.stages, diagnostics, wroteFiles: writes)
        }
    }

    /// Makes a staged cluster's temp files durable: one `syncfs` per file system, shared by its group.
    private func sync(_ staged: StagedCluster, synced: inout [UInt64: Error?]) throws {
        // The folders written to were stat'ed when they were prepared; only a cluster that had to
        // create one costs a stat of its folder here.
        var fileSystems = staged.writes.fileSystems
        if fileSystems.isEmpty || staged.writes.createdFolders {
            var info = stat()
            let device = stat(staged.folder, &info) == 0 ? UInt64(info.st_dev) : UInt64.max
            if fileSystems[device] == nil { fileSystems[device] = staged.folder }
        }
        for (device, folder) in fileSystems.sorted(by: { $0.key < $1.key }) {
            if synced[device] == nil {
                do { try FileSystemSync.sync(folder: folder); synced[device] = .some(nil) } catch { synced[device] = error }
            }
            if let failure = synced[device] ?? nil { throw failure }
        }
    }

    /// A cluster's outputs are in place (or failed to be): stamp it, then report it. `wroteFiles`: the
    /// commit wrote some output, which cannot be stamped yet (see `StampRecorder.record`).
    private func done(_ cluster: ClusterContext, _ stages: [StageWork], _ diagnostics: [Diagnostic], wroteFiles: Bool = false) {
        stamps.record(folder: cluster.folderPath, stages: stages, succeeded: diagnostics.isEmpty && !wroteFiles)
        finished(cluster.id, stages, diagnostics)
    }
}
