import Cache
import FoundationEssentials
import Glibc

public struct RegenOptions: Sendable {
    /// Stages running at once (default: the number of cores).
    public var jobs: Int
    /// Run every stage even on a cache hit.
    public var force: Bool
    /// Stop starting new stages after the first failure (default: keep going with other clusters).
    public var failFast: Bool
    /// Part of every action key: a new talos-batch release invalidates earlier results.
    public var toolVersion: String
    /// The process environment (age key discovery); passed in so tests and callers control it.
    public var environment: [String: String]
    /// Keep each stage's outputs and changed inputs in the report (`--json` prints them). Without it a finished
    /// cluster keeps only what the summary and `--trace` use — statuses, keys, timings, diagnostics — which
    /// is a tenth of a 10,000-cluster run's peak memory.
    public var reportsStageDetails = true
    /// "Now" for the run (stamps, expiring results); tests pass one that runs ahead instead of sleeping.
    public var clock: any WallClock = SystemClock()
    /// The system calls that write outputs; tests pass one that injects faults.
    public var fileSystem: any FileSystem = SystemFileSystem()
    /// Action records a run holds before it commits them mid-run (about 1 KB each in memory; 20,000 is
    /// ~4,000 clusters' worth): a cold run's memory then stops growing with the fleet, for a `syncfs`, a
    /// rewrite of the pack index and one transaction per chunk. Tests pass a small one.
    public var recordChunk = 20_000
    /// Sync each group of outputs to disk before renaming them into place (`regen --fsync`). Without it
    /// outputs are still atomic (temp file, then rename) but left to the page cache: a power cut may leave
    /// one empty or short, which the next run finds (its stamp no longer matches) and rewrites.
    public var syncsOutputs = false
    /// Set when a signal asks the run to end: no new stage or commit starts (see `RunCancellation`).
    public var cancellation: RunCancellation?

    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, force: Bool = false, failFast: Bool = false,
                toolVersion: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.jobs = max(1, jobs)
        self.force = force
        self.failFast = failFast
        self.toolVersion = toolVersion
        self.environment = environment
    }
}

/// Receives progress while a regen runs (called from worker threads, one call at a time).
public protocol RegenObserver: AnyObject, Sendable {
    func stageFinished(_ outcome: StageOutcome, progress: RegenProgress)
    func clusterFinished(_ outcome: ClusterOutcome, progress: RegenProgress)
}

/// Counters for progress lines.
public struct RegenProgress: Sendable {
    public var clustersDone = 0
    public var clustersTotal = 0
    public var ran = 0
    public var fresh = 0
    public var restored = 0
    public var failed = 0
    public var elapsed: TimeInterval = 0
}
