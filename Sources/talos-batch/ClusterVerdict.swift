import Runner

/// What a run (or a plan) did to one cluster as a whole: the unit the summary and the per-cluster lines count.
enum ClusterVerdict: String {
    /// Some stage ran, was restored or shared a result made earlier in the run: files were (or would be) written.
    case changed
    /// Every stage's result was current on disk.
    case fresh
    case failed
    /// Not finished: --fail-fast stopped the run before its stages.
    case notRun = "not run"

    init(_ cluster: ClusterOutcome) {
        let hasError = cluster.diagnostics.contains { $0.severity == .error }
            || cluster.stages.contains { $0.diagnostics.contains { $0.severity == .error } }
        if cluster.failed || hasError {
            self = .failed
        } else if cluster.stages.contains(where: { $0.status == .ran || $0.status == .restored }) {
            self = .changed
        } else if cluster.stages.allSatisfy({ $0.status == .fresh }) {
            self = .fresh
        } else {
            self = .notRun
        }
    }
}

/// Stage counts by what they mean: "restored" is only a restore of an earlier run's result; a result made
/// by another cluster earlier in the same run is "shared" (in-run deduplication).
struct StageCounts {
    var ran = 0, fresh = 0, restored = 0, shared = 0, failed = 0, skipped = 0

    init<S: Sequence>(_ stages: S) where S.Element == StageOutcome {
        for stage in stages { add(stage) }
    }

    mutating func add(_ stage: StageOutcome) {
        switch stage.status {
        case .ran: ran += 1
        case .fresh: fresh += 1
        case .restored: if stage.sharedInRun { shared += 1 } else { restored += 1 }
        case .failed: failed += 1
        case .skipped: skipped += 1
        }
    }
}

/// "1 cluster", "3 clusters".
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
