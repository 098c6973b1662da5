import Cache
import Diagnostics
import FoundationEssentials
import Glibc
import Stages
import SystemKit

/// Regenerates the selected clusters: one task per (cluster, stage) plus one commit per cluster, run as a
/// DAG on `jobs` threads. Results do not depend on `jobs` or on scheduling order.
public final class RegenRunner: @unchecked Sendable {  // @unchecked: the run's tables are only touched under `lock`
    public let fleet: Fleet
    public let stages: [any Stage]
    public let options: RegenOptions
    public weak var observer: (any RegenObserver)?
    /// The cache folder; its database is opened only when some cluster's stamp does not hold.
    public let cacheFolder: URL
    private let openCache: @Sendable () throws -> CacheDirectory
    private var openedCache: CacheDirectory?

    private let lock = Lock()
    /// Running clusters' stages so far, by cluster and stage name; moved out when the cluster commits.
    private var running: [String: [String: StageWork]] = [:]
    /// Finished clusters' outcomes, in stage order: a list is smaller than the per-stage dictionary a
    /// running cluster uses, and 10,000 of them are held until the report.
    private var finishedOutcomes: [String: [StageOutcome]] = [:]
    /// Running clusters' contexts (their paths are built once, shared by the cluster's tasks), made when
    /// the first task of a cluster starts and dropped when it finishes: the scheduler runs the lowest
    /// task first, so only a few clusters are in flight and a big run does not hold one per cluster.
    private var contexts: [String: ClusterContext] = [:]
    private var clusterDiagnostics: [String: [Diagnostic]] = [:]
    private var progress = RegenProgress()

    public convenience init(fleet: Fleet, cache: CacheDirectory, stages: [any Stage] = Pipeline.stages, options: RegenOptions) {
        self.init(fleet: fleet, cacheFolder: cache.url, stages: stages, options: options, openCache: { cache })
    }

    /// `openCache` runs at most once, and only when a cluster needs the cache database.
    public init(fleet: Fleet, cacheFolder: URL, stages: [any Stage] = Pipeline.stages, options: RegenOptions,
                openCache: @escaping @Sendable () throws -> CacheDirectory) {
        self.fleet = fleet
        self.cacheFolder = cacheFolder
        self.stages = stages
        self.options = options
        self.openCache = openCache
    }

    /// The opened cache (opening it on first use).
    public func cache() throws -> CacheDirectory {
        try lock.withLock {
            if let openedCache { return openedCache }
            let cache = try openCache()
            openedCache = cache
            return cache
        }
    }

    var stageEnvironment: StageEnvironment {
        StageEnvironment(environment: options.environment, ageKeyFiles: fleet.settings.ageKeyFiles, now: options.clock.now)
    }

    /// Runs the regen (or, with `dryRun`, only decides what would happen) and reports every cluster.
    public func run(clusters ids: [String], dryRun: Bool = false) -> RegenReport {
        let started = Date()
        let environment = stageEnvironment
        progress = RegenProgress(clustersTotal: ids.count)
        running = [:]
        finishedOutcomes = [:]
        contexts = [:]

        // Clusters whose stamp holds are fresh from their files' stat alone; the rest take the DAG.
        let stamps = ClusterStamps(stages: stages, toolVersion: options.toolVersion, layout: fleet.layout.stampConfiguration)
        let stampStore = StampStore(cacheFolder: cacheFolder)
        let (pending, refresh) = takeFresh(ids, stamps: stamps,
                                           from: dryRun || options.force ? nil : stampStore, now: environment.now,
                                           started: started)
        if pending.isEmpty && refresh.isEmpty {
            return report(clusters: ids, elapsed: Date().timeIntervalSince(started))
        }
        let cache: CacheDirectory
        do {
            cache = try self.cache()
        } catch {
            for id in pending {
                finishCluster(id, stages: lock.withLock { takeWork(of: id) }.map(\.outcome),
                          diagnostics: [.error("cannot open the cache in \(cacheFolder.path): \(ErrorMessage.text(error))")],
                          elapsed: Date().timeIntervalSince(started))
            }
            return report(clusters: ids, elapsed: Date().timeIntervalSince(started))
        }
        // Stamps made in this run (after each cluster's outputs are in place) and clusters that got none.
        var spill: StampSpill?
        if !dryRun {
            do {
                spill = try StampSpill(cacheFolder: cacheFolder)
            } catch {
                CacheWarning.standardError("could not record this run's cluster stamps: \(ErrorMessage.text(error))")
            }
        }
        let recorder = StampRecorder(stamps: stamps, spill: spill, fileStates: cache.fileStates, now: environment.now)
        run(pending, cache: cache, environment: environment, stamps: recorder, refresh: refresh,
            spill: spill, dryRun: dryRun, started: started)
        if let spill {
            do {
                try stampStore.update(spilled: spill, removing: recorder.unstampedFolders)
            } catch {
                CacheWarning.standardError("could not record this run's cluster stamps: \(ErrorMessage.text(error))")
            }
        }
        return report(clusters: ids, elapsed: Date().timeIntervalSince(started))
    }

    /// Reports the clusters whose stamp holds as fresh; returns the others, and the stamps whose last-use
    /// times are due for a refresh (read again from the stamp file when they are refreshed, one at a time).
    private func takeFresh(_ ids: [String], stamps: ClusterStamps, from store: StampStore?,
                           now: Date, started: Date) -> (pending: [String], refresh: StampRefresh) {
        let loaded = store?.load() ?? .empty
        let fresh = stamps.fresh(ids.map { ($0, fleet.folderPath($0)) }, stamps: loaded, now: now, jobs: options.jobs,
                                 withOutputs: options.reportsStageDetails)
        var pending: [String] = []
        var refresh = StampRefresh(file: loaded)
        var finished: [(id: String, cluster: ClusterStamps.Fresh)] = []
        finished.reserveCapacity(fresh.count)
        for (index, id) in ids.enumerated() {
            guard let cluster = fresh[index] else {
                pending.append(id)
                continue
            }
            finished.append((id, cluster))
            // Last-use times steer garbage collection (days): refreshed at most hourly, as for cache hits.
            if Int64(now.timeIntervalSince1970) - cluster.refreshedSeconds > 3600 {
                refresh.groups.append(fleet.folderPath(id))
            }
        }
        recordFresh(finished, elapsed: Date().timeIntervalSince(started))
        return (pending, refresh)
    }

    /// `record` and `finishCluster` for clusters whose stamp held, under one lock: in a no-op run this is
    /// every cluster, on the main thread after the stats. Their outcomes carry no details to drop.
    private func recordFresh(_ fresh: [(id: String, cluster: ClusterStamps.Fresh)], elapsed: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        progress.elapsed = elapsed
        finishedOutcomes.reserveCapacity(fresh.count)
        for (id, cluster) in fresh {
            for outcome in cluster.outcomes {
                progress.fresh += 1
                observer?.stageFinished(outcome, progress: progress)
            }
            finishedOutcomes[id] = cluster.outcomes
            progress.clustersDone += 1
            observer?.clusterFinished(clusterOutcome(id), progress: progress)
        }
    }

    /// The DAG part of a run: every stage of `ids` decided against the cache, run or restored, and handed
    /// to the commit path once the cluster's stages all succeeded.
    private func run(_ ids: [String], cache: CacheDirectory, environment: StageEnvironment,
                     stamps: StampRecorder, refresh: StampRefresh, spill: StampSpill?, dryRun: Bool, started: Date) {
        let graph = BuildGraph(clusters: ids, stages: stages)
        let executor = StageExecutor(cache: cache, options: options, stageEnvironment: environment)
        let scheduler = Scheduler(dependencies: graph.tasks.map(\.dependencies), jobs: options.jobs,
                                  failFast: options.failFast && !dryRun, cancellation: options.cancellation)
        // The commit path writes, stamps and reports each cluster (see `OutputCommitter`).
        let committer = OutputCommitter(cache: cache, fileSystem: options.fileSystem, stamps: stamps,
                                        syncsOutputs: options.syncsOutputs) { [self] id, done, diagnostics in
            finishCluster(id, stages: done.map(\.outcome), diagnostics: diagnostics, elapsed: Date().timeIntervalSince(started))
        }
        let batched = !dryRun
        // False once a chunk could not be written: the rest of the run's records wait for the end.
        let chunking = Locked(true)
        if batched {
            // One read of the file states up front and one write transaction at the end, instead of a
            // database round trip per file and per stage (see docs/runner.md, "Performance notes").
            // Reading every file state up front pays off from a few dozen clusters; below that, one by one.
            try? cache.fileStates.beginBatch(preload: ids.count >= 32)
            cache.actions.beginBatch()
            cache.blobs.beginBatch()
            let seconds = Int64(environment.now.timeIntervalSince1970)
            for group in refresh.groups {
                guard let refreshed = refresh.file.refreshed(group: group, seconds: seconds) else { continue }
                for key in refreshed.keys { try? cache.actions.markUsed(key, at: environment.now) }
                spill?.add(record: refreshed.record, group: group)
            }
        }
        let results = scheduler.run { [self] index, slot in
            let task = graph.tasks[index]
            let cluster = context(of: task.cluster)
            if let stageIndex = task.stage {
                let stage = stages[stageIndex]
                let upstream = lock.withLock { running[task.cluster] ?? [:] }
                var work = executor.execute(stage, cluster: cluster, upstream: upstream, dryRun: dryRun)
                work.outcome.start = Date().timeIntervalSince(started) - work.outcome.duration
                work.outcome.slot = slot
                record(work, elapsed: Date().timeIntervalSince(started))
                return work.outcome.status != .failed
            }
            // The commit task: every stage of the cluster succeeded. It leaves the running table for the
            // commit path (a dry run writes nothing: it is finished here).
            let done = lock.withLock { takeWork(of: task.cluster) }
            executor.listings.forget(under: cluster.folderPath)
            if dryRun {
                finishCluster(task.cluster, stages: done.map(\.outcome), diagnostics: [],
                              elapsed: Date().timeIntervalSince(started))
                return true
            }
            let committed = committer.commit(cluster, stages: done)
            flushChunk(cache, chunking: chunking)
            return committed
        }
        committer.drain()
        // Clusters whose commit never ran (a stage failed, or --fail-fast stopped the run).
        for (index, task) in graph.tasks.enumerated() where task.stage == nil && results[index] == .notRun {
            stamps.noStamp(folder: fleet.folderPath(task.cluster))
            let done = lock.withLock { takeWork(of: task.cluster) }
            finishCluster(task.cluster, stages: done.map(\.outcome), diagnostics: [], elapsed: Date().timeIntervalSince(started))
        }
        if batched { flushCache(cache) }
    }

    /// Stamps that held but whose last-use times are due for a refresh: their groups, and the stamp file
    /// they are read from again when refreshed (100,000 decoded stamps would take hundreds of megabytes).
    struct StampRefresh {
        let file: StampFile
        var groups: [String] = []
        var isEmpty: Bool { groups.isEmpty }
    }

    /// Ends the cache batch: blobs are made durable (one syncfs) before the records naming them are
    /// committed, in one transaction. A failure here costs only cache entries (those stages rerun next
    /// time); the outputs are already in place, so it is a warning, not a failed run.
    private func flushCache(_ cache: CacheDirectory) {
        do {
            try cache.actions.flush(beforeCommit: { try cache.blobs.syncPending() })
            try cache.fileStates.flush()
            // Done with the database: the next run's open can skip its quick check while the file stays so.
            cache.database.noteSound()
        } catch {
            CacheWarning.standardError("could not record this run in the cache: \(ErrorMessage.text(error))")
        }
    }

    /// Commits the records collected so far once there are `options.recordChunk` of them, after making the blobs
    /// they name durable (the same order as `flushCache`). A failure costs only those cache entries; it is
    /// reported once and chunking stops for the run.
    private func flushChunk(_ cache: CacheDirectory, chunking: Locked<Bool>) {
        guard chunking.withLock({ $0 }) else { return }
        do {
            try cache.actions.flushChunk(ifAtLeast: max(1, options.recordChunk), beforeCommit: { try cache.blobs.syncWritten() })
        } catch {
            guard chunking.withLock({ state in defer { state = false }; return state }) else { return }
            CacheWarning.standardError("could not record part of this run in the cache: \(ErrorMessage.text(error))")
        }
    }

    private func record(_ work: StageWork, elapsed: TimeInterval) {
        let outcome = work.outcome
        lock.lock()
        defer { lock.unlock() }
        running[outcome.cluster, default: [:]][outcome.stage] = work
        switch outcome.status {
        case .ran: progress.ran += 1
        case .fresh: progress.fresh += 1
        case .restored: progress.restored += 1
        case .failed: progress.failed += 1
        case .skipped: break
        }
        progress.elapsed = elapsed
        observer?.stageFinished(outcome, progress: progress)
    }

    /// Reports a cluster finished with its stages' outcomes in stage order.
    private func finishCluster(_ id: String, stages ordered: [StageOutcome], diagnostics: [Diagnostic], elapsed: TimeInterval) {
        var ordered = ordered
        lock.lock()
        defer { lock.unlock() }
        clusterDiagnostics[id] = diagnostics.isEmpty ? nil : diagnostics
        contexts[id] = nil
        progress.clustersDone += 1
        progress.elapsed = elapsed
        // Only a --json report reads the details.
        if !options.reportsStageDetails {
            for index in ordered.indices { ordered[index].dropDetails() }
        }
        finishedOutcomes[id] = ordered
        observer?.clusterFinished(clusterOutcome(id), progress: progress)
    }

    /// The context of a cluster in flight (made on first use).
    private func context(of id: String) -> ClusterContext {
        if let context = lock.withLock({ contexts[id] }) { return context }
        // Built outside the lock (it checks which secrets file the folder holds); the first one stored wins.
        let made = fleet.context(id)
        return lock.withLock {
            if let context = contexts[id] { return context }
            contexts[id] = made
            return made
        }
    }

    /// A running cluster's stages, moved out in stage order (a stage that never ran is skipped). Called
    /// with the lock held.
    private func takeWork(of id: String) -> [StageWork] {
        var byStage = running.removeValue(forKey: id) ?? [:]
        return stages.map { stage in
            byStage.removeValue(forKey: stage.name) ?? StageWork(StageOutcome(cluster: id, stage: stage.name, status: .skipped))
        }
    }

    /// A finished cluster's outcome. Called with the lock held.
    private func clusterOutcome(_ id: String) -> ClusterOutcome {
        ClusterOutcome(cluster: id, stages: finishedOutcomes[id] ?? [], diagnostics: clusterDiagnostics[id] ?? [])
    }

    /// The run's report. Each cluster's outcomes move into it (the run is over), so they are not held twice
    /// at the very end — the peak of a big run's memory.
    private func report(clusters ids: [String], elapsed: TimeInterval) -> RegenReport {
        lock.withLock {
            var clusters: [ClusterOutcome] = []
            clusters.reserveCapacity(ids.count)
            var finished: [String: [StageOutcome]] = [:]
            swap(&finished, &finishedOutcomes)
            for id in ids {
                // Every cluster has finished by now; `takeWork` only guards the report's shape.
                let stages = finished.removeValue(forKey: id) ?? takeWork(of: id).map(\.outcome)
                clusters.append(ClusterOutcome(cluster: id, stages: stages, diagnostics: clusterDiagnostics[id] ?? []))
                clusterDiagnostics[id] = nil
            }
            return RegenReport(clusters: clusters, elapsed: elapsed, jobs: options.jobs)
        }
    }
}
