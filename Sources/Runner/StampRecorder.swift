import Cache
import FoundationEssentials
import Glibc
import Stages

/// The stamps of one run: each committed cluster's stamp goes to the spill file as it comes, and each
/// cluster left without a valid stamp is noted, for `StampStore.update` at the end of the run.
final class StampRecorder: Sendable {
    private let stamps: ClusterStamps
    private let spill: StampSpill?
    private let fileStates: FileStateCache
    private let now: Date
    private let unstamped = Locked<Set<String>>([])

    /// `spill` nil: this run's stamps cannot be recorded (every cluster is then noted as unstamped).
    init(stamps: ClusterStamps, spill: StampSpill?, fileStates: FileStateCache, now: Date) {
        self.stamps = stamps
        self.spill = spill
        self.fileStates = fileStates
        self.now = now
    }

    /// Stamps a cluster whose outputs are now in place, or notes that it has no valid stamp any more.
    /// `succeeded` false also when the commit just wrote a file: a stamp only records files whose state a
    /// trusted file-state record vouches for, and a file written moments ago is too new to trust (the
    /// racy-timestamp rule), so trying would only cost a `stat` per file to find that out.
    func record(folder: String, stages: [StageWork], succeeded: Bool) {
        var stamp: Stamp?
        if succeeded, let spill {
            stamp = stamps.stamp(folder: folder, stages: stages, fileStates: fileStates, now: now)
            if let stamp { spill.add(stamp) }
        }
        if stamp == nil { noStamp(folder: folder) }
    }

    /// A cluster whose commit never ran (a stage failed, or --fail-fast stopped the run).
    func noStamp(folder: String) {
        unstamped.withLock { _ = $0.insert(folder) }
    }

    /// The folders whose stamps must go.
    var unstampedFolders: Set<String> { unstamped.withLock { $0 } }
}
