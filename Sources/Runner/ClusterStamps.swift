import Cache
import Dispatch
import FoundationEssentials
import Glibc
import Stages

/// regen's shortcut for clusters nothing touched: a `Stamp` per cluster folder, written after a run in
/// which every stage of the cluster succeeded, and checked at the start of the next run with one `stat`
/// per file. When every file is in its stamped state, every stage of the cluster would be a cache hit
/// with its outputs on disk, so the cluster is reported fresh without computing a key or opening the
/// cache database (see docs/runner.md, "Performance notes").
struct ClusterStamps {
    let stages: [any Stage]
    /// Everything besides files that decides the stages' keys and outputs: the tool and stage versions
    /// (a stage's plan is a function of its version and the cluster's folder, which keys the stamp), and
    /// what a stamp covers ("stamp 2": the shared input folders too, so older stamps no longer hold), and
    /// the project settings that place inputs and outputs (`FleetLayout.stampConfiguration`).
    let configuration: Digest

    init(stages: [any Stage], toolVersion: String, layout: String = "") {
        self.stages = stages
        var text = "talos-batch cluster stamp 2\n\(toolVersion)\n\(layout)"
        for stage in stages { text += "\(stage.name) \(stage.version) \(stage.upstream.joined(separator: ","))\n" }
        configuration = Digest.of(text)
    }

    /// Nanoseconds since 1970, clamped to Int64 (`Date.distantFuture` is beyond it).
    static func nanoseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1_000_000_000).rounded(.down)
        if value >= 9.2e18 { return Int64.max }
        if value <= -9.2e18 { return Int64.min }
        return Int64(value)
    }

    // MARK: - Checking

    /// A cluster whose stamp holds: its stages' fresh outcomes, and when its last-use times were refreshed.
    struct Fresh {
        var outcomes: [StageOutcome]
        var refreshedSeconds: Int64
    }

    /// The clusters (by index in `clusters`) whose stamp still holds. Stats run on `jobs` threads; a file
    /// outside the cluster folders (the templates) is stat'ed once per thread.
    func fresh(_ clusters: [(id: String, folder: String)], stamps: StampFile, now: Date, jobs: Int,
               withOutputs: Bool = true) -> [Int: Fresh] {
        guard !stamps.isEmpty, !clusters.isEmpty else { return [:] }
        let nowNanoseconds = Self.nanoseconds(now)
        let names = stages.map(\.name)
        let results = StampResults()
        let workers = max(1, min(jobs, clusters.count / 64 + 1))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var shared = SharedStates()
            var found: [(Int, Fresh)] = []
            var index = worker
            while index < clusters.count {
                let cluster = clusters[index]
                if let check = holds(cluster.folder, in: stamps, nowNanoseconds: nowNanoseconds, names: names,
                                     withOutputs: withOutputs, shared: &shared) {
                    var outcomes: [StageOutcome] = []
                    outcomes.reserveCapacity(names.count)
                    for (position, name) in names.enumerated() {
                        outcomes.append(StageOutcome(cluster: cluster.id, stage: name, status: .fresh, key: check.keys[position],
                                                     outputs: check.outputs[position]))
                    }
                    found.append((index, Fresh(outcomes: outcomes, refreshedSeconds: check.refreshedSeconds)))
                }
                index += workers
            }
            results.add(found)
        }
        return results.all
    }

    /// Checks a cluster's stamp in place. Files in the cluster folder are stat'ed relative to it (the kernel
    /// then walks one or two path components instead of the whole path); files outside it (the templates)
    /// once per thread.
    private func holds(_ folder: String, in stamps: StampFile, nowNanoseconds: Int64, names: [String], withOutputs: Bool,
                       shared: inout SharedStates) -> StampCheck? {
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return nil }
        defer { close(directory) }
        return stamps.verify(group: folder, configuration: configuration, nowNanoseconds: nowNanoseconds, names: names,
                             withOutputs: withOutputs) { path, absolute in
            absolute ? shared.state(of: path) : FileState.current(in: directory, cPath: path)
        }
    }

    // MARK: - Writing

    /// The stamp of a cluster whose stages all succeeded and whose outputs are in place, or nil when a file
    /// is not vouched for by a trusted file-state record with the digest this run used (it changed during
    /// the run, or was written too recently to trust its timestamps — the next run stamps it).
    func stamp(folder: String, stages done: [StageWork], fileStates: FileStateCache, now: Date) -> Stamp? {
        let names = stages.map(\.name)
        guard done.map(\.outcome.stage) == names,
              done.allSatisfy({ [.fresh, .ran, .restored].contains($0.outcome.status) && $0.outcome.key != nil }) else { return nil }
        var expected: [(path: String, digest: Digest, mode: UInt32?)] = []
        var seen: [String: Digest] = [:]
        for work in done {
            for input in work.fileInputs {
                if let digest = seen[input.path] {
                    if digest != input.digest { return nil }
                    continue
                }
                seen[input.path] = input.digest
                expected.append((input.path, input.digest, nil))
            }
        }
        for work in done {
            for output in work.outcome.outputs {
                expected.append((folder + "/" + output.path, output.digest, output.mode))
            }
        }
        var files: [StampedFile] = []
        files.reserveCapacity(expected.count)
        for file in expected {
            guard let trusted = fileStates.trustedState(ofFileAtPath: file.path), trusted.digest == file.digest,
                  file.mode.map({ $0 == trusted.mode }) ?? true else { return nil }
            let relative = file.path.hasPrefix(folder + "/") ? String(file.path.dropFirst(folder.count + 1)) : file.path
            files.append(StampedFile(path: relative, state: trusted.state))
        }
        // The folders of shared inputs (talos/templates, talos/common) too: a stage may read a folder's
        // listing (render takes every template as an input), so a file added there must end the stamp
        // even though no stamped file changed. A folder's times move when an entry is added or removed;
        // like a file, it is only trusted once they are safely older than now.
        let settled = Self.nanoseconds(now) - FileStateRecord.racyWindowNanoseconds
        var folders: Set<String> = []
        for file in expected where !file.path.hasPrefix(folder + "/") {
            let parent = String(file.path[..<(file.path.lastIndex(of: "/") ?? file.path.startIndex)])
            guard !parent.isEmpty, folders.insert(parent).inserted else { continue }
            guard let state = FileState.current(atPath: parent),
                  max(state.modifiedNanoseconds, state.changedNanoseconds) < settled else { return nil }
            files.append(StampedFile(path: parent, state: state))
        }
        let expiry = done.compactMap(\.validUntil).min()
        let validUntil = expiry.map(Self.nanoseconds) ?? Int64.max
        return Stamp(group: folder, configuration: configuration, validUntilNanoseconds: validUntil,
                     refreshedSeconds: Int64(now.timeIntervalSince1970), files: files,
                     actions: done.compactMap { work in
                         // Every key is set: checked by the guard at the top.
                         work.outcome.key.map { StampedAction(name: work.outcome.stage, key: $0, outputs: work.outcome.outputs) }
                     })
    }
}

/// The states of files outside the cluster folders, stat'ed once per thread (a handful: the templates).
private struct SharedStates {
    private var known: [(path: [CChar], state: FileState?)] = []

    mutating func state(of path: UnsafePointer<CChar>) -> FileState? {
        let length = strlen(path)
        for entry in known where entry.path.count == length && memcmp(entry.path, path, length) == 0 {
            return entry.state
        }
        let state = FileState.current(atCPath: path)
        known.append((Array(UnsafeBufferPointer(start: path, count: length)), state))
        return state
    }
}

/// Per-worker results of a stamp check, gathered under a lock.
private final class StampResults: Sendable {
    private let results = Locked<[Int: ClusterStamps.Fresh]>([:])

    func add(_ found: [(Int, ClusterStamps.Fresh)]) {
        results.withLock { results in for (index, fresh) in found { results[index] = fresh } }
    }

    var all: [Int: ClusterStamps.Fresh] { results.withLock { $0 } }
}
