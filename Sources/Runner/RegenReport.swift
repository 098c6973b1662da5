import Diagnostics
import FoundationEssentials
import Glibc
import Stages
import SystemKit

/// Everything a regen did, for the summary, `--json` and `--trace`.
public struct RegenReport: Sendable {
    public var clusters: [ClusterOutcome]
    public var elapsed: TimeInterval
    public var jobs: Int

    public var failedClusters: [ClusterOutcome] { clusters.filter(\.failed) }
    public var succeeded: Bool { !clusters.contains(where: \.failed) }

    public func count(_ status: StageStatus) -> Int {
        // Counted in place: filtering would copy every outcome (50,000 at 10,000 clusters) per call.
        var count = 0
        for cluster in clusters {
            for stage in cluster.stages where stage.status == status { count += 1 }
        }
        return count
    }

    /// Every error and warning, each `file:line:col: severity: message`.
    public var diagnostics: [Diagnostic] {
        clusters.flatMap { cluster in cluster.stages.flatMap(\.diagnostics) + cluster.diagnostics }
    }

    /// The `--json` document: per cluster and stage, status, key, duration and changed inputs. For a
    /// plan (`dryRun`), "ran" and "restored" mean "would run" and "would restore". A stage deduplicated
    /// against an identical one of the same run is "shared" (status and count), not "restored".
    public func json(dryRun: Bool = false) -> String {
        var root: [String: Any] = [
            "dryRun": dryRun,
            "ok": succeeded,
            "elapsedSeconds": (elapsed * 1000).rounded() / 1000,
            "jobs": jobs,
            "counts": ["ran": count(.ran), "fresh": count(.fresh), "restored": restoredFromEarlierRuns, "shared": sharedInRun,
                       "failed": count(.failed), "skipped": count(.skipped)],
        ]
        root["clusters"] = clusters.map { cluster -> [String: Any] in
            [
                "id": cluster.cluster,
                "status": cluster.failed ? "failed" : "ok",
                "stages": cluster.stages.map { stage -> [String: Any] in
                    var entry: [String: Any] = [
                        "stage": stage.stage,
                        "status": Self.statusWord(stage),
                        "durationMs": (stage.duration * 1_000_000).rounded() / 1000,
                        "changedInputs": stage.changedInputs,
                        "outputs": stage.outputs.map(\.path),
                    ]
                    if let key = stage.key { entry["key"] = key.hex }
                    if !stage.diagnostics.isEmpty { entry["diagnostics"] = stage.diagnostics.map(Self.json) }
                    return entry
                },
                "diagnostics": cluster.diagnostics.map(Self.json),
            ]
        }
        let text = JSONObjectWriter.text(root, options: [.prettyPrinted, .sortedKeys]) ?? ""
        return text + "\n"
    }

    /// Stages restored from an earlier run's cache entries.
    public var restoredFromEarlierRuns: Int { count(.restored) - sharedInRun }

    /// Stages that took the outputs an identical stage made earlier in this same run (in-run deduplication):
    /// "shared", never "restored", which is kept for what an earlier run left in the cache.
    public var sharedInRun: Int {
        var count = 0
        for cluster in clusters {
            for stage in cluster.stages where stage.status == .restored && stage.sharedInRun { count += 1 }
        }
        return count
    }

    /// A stage's status as `--json` names it: `shared` for in-run deduplication, else the status itself.
    static func statusWord(_ stage: StageOutcome) -> String {
        stage.status == .restored && stage.sharedInRun ? "shared" : stage.status.rawValue
    }

    static func json(_ diagnostic: Diagnostic) -> [String: Any] {
        var entry: [String: Any] = ["severity": diagnostic.severity.rawValue, "message": diagnostic.message]
        if let location = diagnostic.location {
            entry["file"] = location.file
            entry["line"] = location.line
            entry["column"] = location.column
        }
        return entry
    }

    /// Chrome trace-event JSON (chrome://tracing, Perfetto): one complete event per stage, one row per worker.
    public func traceJSON() -> String {
        var events: [[String: Any]] = [["name": "process_name", "ph": "M", "pid": 1, "args": ["name": "talos-batch regen"]]]
        for cluster in clusters {
            for stage in cluster.stages where stage.status != .skipped {
                events.append([
                    "name": "\(FleetLayout.clusterName(stage.cluster)) \(stage.stage)",
                    "cat": stage.status.rawValue,
                    "ph": "X",
                    "ts": Int((stage.start * 1_000_000).rounded()),
                    "dur": max(1, Int((stage.duration * 1_000_000).rounded())),
                    "pid": 1,
                    "tid": stage.slot + 1,
                    "args": ["cluster": stage.cluster, "stage": stage.stage, "status": stage.status.rawValue,
                             "key": stage.key?.hex ?? ""],
                ])
            }
        }
        let text = JSONObjectWriter.text(["traceEvents": events, "displayTimeUnit": "ms"], options: [.sortedKeys]) ?? ""
        return text + "\n"
    }
}
