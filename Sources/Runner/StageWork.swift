import Cache
import FoundationEssentials
import Glibc

/// One stage's result while its cluster is in flight: the report value plus what only the commit path
/// needs — bytes to write, outputs to restore, stale files, and what the cluster's stamp records. It never
/// leaves the runner: once the cluster is committed (or failed) only `outcome` goes on to the report.
struct StageWork: Sendable {
    var outcome: StageOutcome
    /// Outputs whose bytes were computed in this run and are not on disk yet (path → bytes).
    var pending: [String: [UInt8]] = [:]
    /// Outputs to write back from the blob store at commit.
    var toRestore: [OutputEntry] = []
    /// Files the previous run of this stage produced that this run no longer does.
    var stale: [OutputEntry] = []
    /// The files the key was computed from (absolute path and the digest the key used) — a stamp's inputs.
    var fileInputs: [(path: String, digest: Digest)] = []
    /// When the result expires (stages whose outputs are time-limited); nil when it never does.
    var validUntil: Date?

    init(_ outcome: StageOutcome) {
        self.outcome = outcome
    }

    /// Whether committing this stage writes or removes nothing.
    var changesNothing: Bool { pending.isEmpty && toRestore.isEmpty && stale.isEmpty }
}
