import Cache
import Diagnostics
import FoundationEssentials
import Glibc

/// What happened to one stage of one cluster in a regen.
public enum StageStatus: String, Sendable, Codable {
    /// Cache hit, outputs on disk already matched: nothing read, nothing written.
    case fresh
    /// Cache hit, some outputs missing or altered on disk: written back from the blob store.
    case restored
    /// Cache miss (or --force): the stage ran.
    case ran
    /// The stage ran and reported errors.
    case failed
    /// Not attempted: an upstream stage failed, or --fail-fast stopped the run.
    case skipped
}

/// The report of one stage of one cluster: a plain value for progress lines, `plan`, `explain` and `--json`.
/// The runner's working state for a stage in flight is `StageWork`.
public struct StageOutcome: Sendable {
    public var cluster: String
    public var stage: String
    public var status: StageStatus
    public var key: Digest?
    public var duration: TimeInterval
    /// Names of inputs whose digest differs from the last recorded run of this stage for this cluster
    /// (empty when there was none or nothing changed); "(no previous run)" or "(stage version or
    /// parameters)" explain the other cases.
    public var changedInputs: [String]
    /// The inputs the key was computed from (empty when not known yet, in a dry run below a stage that would run).
    public var inputs: [ActionInput] = []
    /// Outputs as recorded (what the cluster folder holds after the commit).
    public var outputs: [OutputEntry]
    /// Outputs a restore writes (or, in a plan, would write) back: missing or altered in the cluster folder.
    public var toRestorePaths: [String] = []
    /// Fresh or restored from a result recorded earlier in this same run (another cluster with the same
    /// key): in-run deduplication, which the summary must not call a restore from an earlier run.
    public var sharedInRun = false
    public var diagnostics: [Diagnostic]
    /// When it started, relative to the start of the run (trace output).
    public var start: TimeInterval = 0
    /// Which worker ran it (trace output).
    public var slot: Int = 0

    public init(cluster: String, stage: String, status: StageStatus, key: Digest? = nil, duration: TimeInterval = 0,
                changedInputs: [String] = [], outputs: [OutputEntry] = [], diagnostics: [Diagnostic] = []) {
        self.cluster = cluster
        self.stage = stage
        self.status = status
        self.key = key
        self.duration = duration
        self.changedInputs = changedInputs
        self.outputs = outputs
        self.diagnostics = diagnostics
    }
}

/// The outcome of one cluster: its stages, in pipeline order.
public struct ClusterOutcome: Sendable {
    public var cluster: String
    public var stages: [StageOutcome]
    /// Problems outside any stage (writing outputs, taking the lock).
    public var diagnostics: [Diagnostic]

    public var failed: Bool {
        diagnostics.contains { $0.severity == .error } || stages.contains { $0.status == .failed }
    }
}

extension StageOutcome {
    /// Forgets what only a detailed report shows (the outputs, the inputs and which changed), once the
    /// cluster is finished; status, key, timings and diagnostics stay.
    mutating func dropDetails() {
        outputs = []
        inputs = []
        changedInputs = []
        toRestorePaths = []
    }
}
