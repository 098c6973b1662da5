import Cache
import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc
import Stages

/// Carries out one stage of one cluster: hashes its inputs into a key, gathers what the `Rebuilder` needs
/// (the recorded trace, the outputs' state on disk), and on a run computes the outputs and stores them.
struct StageExecutor {
    let cache: CacheDirectory
    let options: RegenOptions
    let stageEnvironment: StageEnvironment
    /// Whether an expiring record is still valid at `stageEnvironment.now`, by action key, for this run.
    let validity = ValidityMemo()
    /// The output folders' names, listed once per cluster: a missing output costs no `stat`.
    let listings = FolderListings()
    /// Records created after this were made by this run (in-run deduplication, `StageOutcome.sharedInRun`).
    let runStarted = Date()

    /// With `dryRun`, nothing runs, is stored or written: a miss is reported as `.ran` ("would run").
    /// The returned work is the report value plus what the commit path needs.
    func execute(_ stage: any Stage, cluster: ClusterContext, upstream: [String: StageWork], dryRun: Bool = false) -> StageWork {
        let started = Date()
        var work = StageWork(StageOutcome(cluster: cluster.id, stage: stage.name, status: .failed))
        do {
            try decide(stage, cluster: cluster, upstream: upstream, dryRun: dryRun, work: &work)
        } catch let list as DiagnosticList {
            work.outcome.status = .failed
            work.outcome.diagnostics += list.diagnostics
        } catch let diagnostic as Diagnostic {
            work.outcome.status = .failed
            work.outcome.diagnostics.append(diagnostic)
        } catch {
            work.outcome.status = .failed
            work.outcome.diagnostics.append(.error("\(cluster.name) \(stage.name): \(ErrorMessage.text(error))"))
        }
        work.outcome.duration = Date().timeIntervalSince(started)
        return work
    }

    private func decide(_ stage: any Stage, cluster: ClusterContext, upstream: [String: StageWork], dryRun: Bool,
                        work: inout StageWork) throws {
        let resolver = StageInputsResolver(cache: cache, cluster: cluster, environment: stageEnvironment,
                                           toolVersion: options.toolVersion, remembersBundleKeys: !dryRun)
        let declaredPlan = stage.plan(for: cluster)
        var fileDigests: [String: Digest] = [:]
        guard let declared = try resolver.digests(of: declaredPlan, upstream: upstream, fileDigests: &fileDigests) else {
            // Dry run below a stage that would run: the key depends on bytes not computed yet.
            work.outcome.status = .ran
            work.outcome.changedInputs = ["(upstream output not computed yet)"]
            return
        }
        // The plan's second phase (its referenced @file inputs); `recorded` is the last run it reused them from.
        let (plan, inputs, recorded) = try addingReferencedInputs(stage, plan: declaredPlan, digests: declared,
                                                                  cluster: cluster, upstream: upstream, resolver: resolver)
        let parameters = plan.parameters.map { ActionParameter(name: $0.name, value: $0.value) }
        var key = ActionKey(stage: stage.name, stageVersion: stage.version, toolVersion: options.toolVersion,
                            parameters: parameters, inputs: inputs).digest
        work.outcome.key = key
        work.outcome.inputs = inputs
        work.fileInputs = Self.fileInputs(plan, inputs, fileDigests: fileDigests)

        let rebuilder = Rebuilder(force: options.force, now: stageEnvironment.now)
        var hit: RecordedResult?
        var damaged = false
        // Whether the hit is the newest record of the stage for the cluster (then restoring it leaves nothing stale).
        var hitIsNewest = false
        var found: ActionRecord?
        if rebuilder.reusesResults {
            if let recorded, recorded.key == key {
                found = recorded
            } else if let looked = try cache.actions.lookup(key, newestOf: stage.name, cluster: cluster.name) {
                found = looked.record
                hitIsNewest = looked.isNewest
            }
        }
        if let found {
            // The cache is an input: a record must fit what the stage declares (plain relative paths, the
            // stage's modes, its required outputs), or it is damaged, a miss, and never restored.
            if let record = cache.actions.admit(found, declared: stage.declaredOutputs(for: cluster)) {
                hit = recordedResult(record, stage: stage, cluster: cluster, dryRun: dryRun)
            } else {
                damaged = true
            }
        }
        var previousRecord: ActionRecord??
        func previous() throws -> ActionRecord? {
            if let previousRecord { return previousRecord }
            let found = try recorded ?? cache.actions.lastRecord(stage: stage.name, cluster: cluster.name)
            previousRecord = .some(found)
            return found
        }
        work.validUntil = hit?.validUntil
        let verdict = try rebuilder.decide(key: key, inputs: inputs, hit: hit, recordDamaged: damaged, previous: previous)
        switch verdict {
        case .fresh, .restore:
            // Only a hit is ever reused, so `hit` is set here.
            let toRestore: [OutputEntry]
            if case .restore(let entries) = verdict { toRestore = entries } else { toRestore = [] }
            work.outcome.outputs = hit?.record.outputs ?? []
            work.toRestore = toRestore
            // Bytes already read and verified for the restore: what the commit path writes.
            for (path, bytes) in hit?.restoredBytes ?? [:] { work.pending[path] = bytes }
            work.outcome.toRestorePaths = toRestore.map(\.path)
            work.outcome.status = toRestore.isEmpty ? .fresh : .restored
            work.outcome.sharedInRun = (hit?.record.created ?? .distantPast) >= runStarted
            if !dryRun, let record = hit?.record {
                try noteUse(of: record)
                // Restoring an older result (a setting such as the output folder changed back): the files of
                // the run in between are stale, as they are when the stage runs.
                if !toRestore.isEmpty, !hitIsNewest, let last = try previous(), last.key != record.key {
                    let kept = Set(record.outputs.map(\.path))
                    work.stale = last.outputs.filter { !kept.contains($0.path) }
                }
            }
            return
        case .run(let reasons):
            work.outcome.status = .ran
            work.outcome.changedInputs = reasons
        }
        let previous = try previous()
        if dryRun { return }

        let (contents, actualInputs) = try resolver.contents(of: plan, digests: inputs, upstream: upstream, fileDigests: &fileDigests)
        if actualInputs != inputs {
            // A file changed between hashing and reading: key the record by what was actually read.
            key = ActionKey(stage: stage.name, stageVersion: stage.version, toolVersion: options.toolVersion,
                            parameters: parameters, inputs: actualInputs).digest
            work.outcome.key = key
            work.outcome.inputs = actualInputs
            work.fileInputs = Self.fileInputs(plan, actualInputs, fileDigests: fileDigests)
        }
        let started = Date()
        let result = try stage.run(for: cluster, inputs: contents, environment: stageEnvironment)
        var entries: [OutputEntry] = []
        for output in result.outputs.sorted(by: { $0.path < $1.path }) {
            let digest = try cache.blobs.put(output.contents, secret: OutputEntry.isSecret(mode: output.mode))   // sealed at rest
            entries.append(OutputEntry(path: output.path, digest: digest, mode: output.mode, size: Int64(output.contents.count)))
            work.pending[output.path] = output.contents
        }
        let now = Date()
        try cache.actions.record(ActionRecord(key: key, stage: stage.name, cluster: cluster.name, outputs: entries,
                                              inputs: actualInputs, created: now, lastUsed: now,
                                              duration: now.timeIntervalSince(started)))
        try cache.actions.noteMiss()
        if stage.expires {
            let until = stage.validUntil(outputs: result.outputs)
            validity.remember(until, for: key)
            work.validUntil = until
        }
        work.outcome.outputs = entries
        work.outcome.diagnostics += result.warnings
        let produced = Set(entries.map(\.path))
        work.stale = (previous?.outputs ?? []).filter { !produced.contains($0.path) }
    }

    /// The facts the rebuilder needs about a record the key found: which outputs differ on disk, their
    /// bytes read and verified from the blob store (so damage is a miss, never a failed restore; a dry run
    /// only asks whether they are there), and (time-limited stages) until when the result is valid.
    private func recordedResult(_ record: ActionRecord, stage: any Stage, cluster: ClusterContext, dryRun: Bool) -> RecordedResult {
        let folder = cluster.folderPath
        let mismatched = record.outputs.filter { !onDisk($0, path: folder + "/" + $0.path) }
        let restored: [String: [UInt8]]? = dryRun
            ? (mismatched.allSatisfy { cache.blobs.contains($0.digest) } ? [:] : nil)
            : cache.restorableBytes(of: mismatched, record: record)
        var validUntil: Date?
        if stage.expires, let restored {
            // Clusters sharing a record (one secrets bundle, one admin certificate) read it once per run.
            validUntil = validity.value(for: record.key) {
                recordedOutputs(record, cluster: cluster, restored: restored).map { stage.validUntil(outputs: $0) } ?? .distantPast
            }
        }
        return RecordedResult(record: record, mismatched: mismatched, restorable: restored != nil,
                              restoredBytes: restored ?? [:], validUntil: validUntil)
    }

    /// A reused result counts as a hit. Last-use times only steer garbage collection (days), so they are
    /// refreshed at most hourly rather than writing the database on every hit.
    private func noteUse(of record: ActionRecord) throws {
        if stageEnvironment.now.timeIntervalSince(record.lastUsed) > 3600 {
            try cache.actions.markUsed(record.key, at: stageEnvironment.now)
        }
        try cache.actions.noteHit()
    }

    /// Does the cluster folder hold exactly this output (bytes and mode)? Uses the file-state cache, so an
    /// unchanged file is only stat'ed, never read.
    func onDisk(_ entry: OutputEntry, path: String) -> Bool {
        if listings.isListedAbsent(path) { return false }
        guard let (digest, mode) = try? cache.fileStates.digestAndMode(ofFileAtPath: path) else { return false }
        return mode == entry.mode && digest == entry.digest
    }

    /// A record's outputs as bytes: restored ones, else from the blob store, else the file on disk when it
    /// holds the recorded digest (secret outputs are not stored without a cache key); nil when one is gone.
    private func recordedOutputs(_ record: ActionRecord, cluster: ClusterContext, restored: [String: [UInt8]]) -> [GeneratedOutput]? {
        var outputs: [GeneratedOutput] = []
        for entry in record.outputs {
            var bytes = restored[entry.path] ?? (try? cache.blobs.read(entry.digest)) ?? nil
            if bytes == nil, let data = try? RegularFile.read(cluster.folderPath + "/" + entry.path),
               Digest.of(data) == entry.digest {
                bytes = data
            }
            guard let bytes else { return nil }
            outputs.append(GeneratedOutput(path: entry.path, contents: bytes, mode: entry.mode))
        }
        return outputs
    }

    /// The plan's file inputs paired with their files' digests: the digests the key used, or for an input
    /// keyed otherwise (a secrets bundle), the file's own from `fileDigests` — what the stamp confirms.
    static func fileInputs(_ plan: StagePlan, _ digests: [ActionInput], fileDigests: [String: Digest]) -> [(path: String, digest: Digest)] {
        zip(plan.inputs, digests).compactMap { input, digest in
            if case .file(let path) = input.source { return (path, fileDigests[path] ?? digest.digest) }
            return nil
        }
    }
}

/// Remembers when each expiring result (by action key) stops being valid, for one run.
final class ValidityMemo: Sendable {
    private let answers = Locked<[Digest: Date]>([:])

    func value(for key: Digest, compute: () -> Date) -> Date {
        if let known = answers.withLock({ $0[key] }) { return known }
        let answer = compute()
        remember(answer, for: key)
        return answer
    }

    func remember(_ until: Date, for key: Digest) {
        answers.withLock { $0[key] = until }
    }
}
