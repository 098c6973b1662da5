import Cache
import Diagnostics
import Foundation
import Stages

/// Decides and does what one stage of one cluster needs: nothing (fresh), a restore, or a run.
struct StageExecutor {
    let cache: CacheDirectory
    let options: RegenOptions
    let stageEnvironment: StageEnvironment
    /// Whether an expiring record is still valid at `stageEnvironment.now`, by action key, for this run.
    let validity = ValidityMemo()

    /// With `dryRun`, nothing runs, is stored or written: a miss is reported as `.ran` ("would run").
    func execute(_ stage: any Stage, cluster: ClusterContext, upstream: [String: StageOutcome], dryRun: Bool = false) -> StageOutcome {
        let started = Date()
        var outcome = StageOutcome(cluster: cluster.id, stage: stage.name, status: .failed)
        do {
            try decide(stage, cluster: cluster, upstream: upstream, dryRun: dryRun, outcome: &outcome)
        } catch let list as DiagnosticList {
            outcome.status = .failed
            outcome.diagnostics += list.diagnostics
        } catch let diagnostic as Diagnostic {
            outcome.status = .failed
            outcome.diagnostics.append(diagnostic)
        } catch {
            outcome.status = .failed
            outcome.diagnostics.append(.error("\(cluster.name) \(stage.name): \(error)"))
        }
        outcome.duration = Date().timeIntervalSince(started)
        return outcome
    }

    private func decide(_ stage: any Stage, cluster: ClusterContext, upstream: [String: StageOutcome], dryRun: Bool,
                        outcome: inout StageOutcome) throws {
        let resolver = StageInputsResolver(cache: cache, cluster: cluster)
        let declaredPlan = stage.plan(for: cluster)
        guard let declared = try resolver.digests(of: declaredPlan, upstream: upstream) else {
            // Dry run below a stage that would run: the key depends on bytes not computed yet.
            outcome.status = .ran
            outcome.changedInputs = ["(upstream output not computed yet)"]
            return
        }
        // A ReferencingStage's second phase (its @file inputs); `recorded` is the last run it reused them from.
        let (plan, inputs, recorded) = try addingReferencedInputs(stage, plan: declaredPlan, digests: declared,
                                                                  cluster: cluster, upstream: upstream, resolver: resolver)
        let parameters = plan.parameters.map { ActionParameter(name: $0.name, value: $0.value) }
        var key = ActionKey(stage: stage.name, stageVersion: stage.version, toolVersion: options.toolVersion,
                            parameters: parameters, inputs: inputs).digest
        outcome.key = key
        outcome.inputs = inputs
        outcome.fileInputs = Self.fileInputs(plan, inputs)

        // issue 19: a record must fit what the stage declares (paths, modes, required outputs) and the bytes
        // to restore are read and verified here, so damage is a miss (the stage runs again), never a
        // failed restore.
        let found = options.force ? nil : try recorded.flatMap({ $0.key == key ? $0 : nil }) ?? cache.actions.lookup(key)
        let admitted = found.flatMap { cache.actions.admit($0, declared: stage.declaredOutputs) }
        if found != nil && admitted == nil { outcome.changedInputs = ["(cached record damaged)"] }
        if let record = admitted {
            let folder = cluster.folderPath
            let mismatched = record.outputs.filter { !onDisk($0, path: folder + "/" + $0.path) }
            let restored: [String: [UInt8]]? = dryRun
                ? (mismatched.allSatisfy { cache.blobs.contains($0.digest) } ? [:] : nil)
                : cache.restorableBytes(of: mismatched, record: record)
            var valid = true
            if stage.expires, let restored {
                // Clusters sharing a record (one secrets bundle, one admin certificate) read it once per run.
                let until = validity.value(for: key) {
                    recordedOutputs(record, cluster: cluster, restored: restored).map { stage.validUntil(outputs: $0) } ?? .distantPast
                }
                valid = stageEnvironment.now < until
                outcome.validUntil = until
            }
            if let restored, valid {
                outcome.outputs = record.outputs
                outcome.toRestore = mismatched
                for (path, bytes) in restored { outcome.pending[path] = bytes }
                outcome.status = mismatched.isEmpty ? .fresh : .restored
                if !dryRun {
                    // Last-use times only steer garbage collection (days), so refresh them at most hourly
                    // rather than writing the database on every hit.
                    if stageEnvironment.now.timeIntervalSince(record.lastUsed) > 3600 {
                        try cache.actions.markUsed(key, at: stageEnvironment.now)
                    }
                    try cache.actions.noteHit()
                }
                return
            }
            if restored == nil { outcome.changedInputs = ["(cached output missing or damaged)"] }
            if !valid { outcome.changedInputs = ["(cached output expired)"] }
        }

        outcome.status = .ran
        let previous = try recorded ?? cache.actions.lastRecord(stage: stage.name, cluster: cluster.name)
        if outcome.changedInputs.isEmpty {
            let changed = Self.changes(from: previous, to: inputs)
            // Under --force an unchanged stage runs only because it was asked to; say so.
            outcome.changedInputs = options.force && previous?.key == key ? ["(forced)"] : changed
        }
        if dryRun { return }

        let (contents, actualInputs) = try resolver.contents(of: plan, digests: inputs, upstream: upstream)
        if actualInputs != inputs {
            // A file changed between hashing and reading: key the record by what was actually read.
            key = ActionKey(stage: stage.name, stageVersion: stage.version, toolVersion: options.toolVersion,
                            parameters: parameters, inputs: actualInputs).digest
            outcome.key = key
            outcome.inputs = actualInputs
            outcome.fileInputs = Self.fileInputs(plan, actualInputs)
        }
        let started = Date()
        let result = try stage.run(for: cluster, inputs: contents, environment: stageEnvironment)
        var entries: [OutputEntry] = []
        for output in result.outputs.sorted(by: { $0.path < $1.path }) {
            let digest = try cache.blobs.put(output.contents, secret: output.isSecret)   // issue 19: sealed at rest
            entries.append(OutputEntry(path: output.path, digest: digest, mode: output.mode, size: Int64(output.contents.count)))
            outcome.pending[output.path] = output.contents
        }
        let now = Date()
        try cache.actions.record(ActionRecord(key: key, stage: stage.name, cluster: cluster.name, outputs: entries,
                                              inputs: actualInputs, created: now, lastUsed: now,
                                              duration: now.timeIntervalSince(started)))
        try cache.actions.noteMiss()
        if stage.expires {
            let until = stage.validUntil(outputs: result.outputs)
            validity.remember(until, for: key)
            outcome.validUntil = until
        }
        outcome.outputs = entries
        outcome.diagnostics += result.warnings
        let produced = Set(entries.map(\.path))
        outcome.stale = (previous?.outputs ?? []).filter { !produced.contains($0.path) }
    }

    /// Does the cluster folder hold exactly this output (bytes and mode)? Uses the file-state cache, so an
    /// unchanged file is only stat'ed, never read.
    func onDisk(_ entry: OutputEntry, path: String) -> Bool {
        guard let (digest, mode) = try? cache.fileStates.digestAndMode(ofFileAtPath: path) else { return false }
        return mode == entry.mode && digest == entry.digest
    }

    /// A record's outputs as bytes: restored ones, else from the blob store, else the file on disk when it
    /// holds the recorded digest (secret outputs are not stored without a cache key); nil when one is gone.
    private func recordedOutputs(_ record: ActionRecord, cluster: ClusterContext, restored: [String: [UInt8]]) -> [GeneratedOutput]? {
        var outputs: [GeneratedOutput] = []
        for entry in record.outputs {
            var bytes = restored[entry.path] ?? (try? cache.blobs.read(entry.digest)) ?? nil
            if bytes == nil, let data = FileManager.default.contents(atPath: cluster.folderPath + "/" + entry.path),
               Digest.of([UInt8](data)) == entry.digest {
                bytes = [UInt8](data)
            }
            guard let bytes else { return nil }
            outputs.append(GeneratedOutput(path: entry.path, contents: bytes, mode: entry.mode))
        }
        return outputs
    }

    /// The plan's file inputs paired with the digests the key used.
    static func fileInputs(_ plan: StagePlan, _ digests: [ActionInput]) -> [(path: String, digest: Digest)] {
        zip(plan.inputs, digests).compactMap { input, digest in
            if case .file(let path) = input.source { return (path, digest.digest) }
            return nil
        }
    }

    /// Which inputs differ from the last recorded run (ninja -d explain style).
    static func changes(from previous: ActionRecord?, to inputs: [ActionInput]) -> [String] {
        guard let previous else { return ["(no previous run)"] }
        let old = Dictionary(previous.inputs.map { ($0.name, $0.digest) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(inputs.map { ($0.name, $0.digest) }, uniquingKeysWith: { first, _ in first })
        var changed: [String] = []
        for input in inputs where old[input.name] != input.digest {
            changed.append(old[input.name] == nil ? "\(input.name) (new input)" : input.name)
        }
        for input in previous.inputs where new[input.name] == nil {
            changed.append("\(input.name) (no longer an input)")
        }
        return changed.isEmpty ? ["(stage version or parameters)"] : changed
    }
}

/// Remembers when each expiring result (by action key) stops being valid, for one run.
final class ValidityMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [Digest: Date] = [:]

    func value(for key: Digest, compute: () -> Date) -> Date {
        if let known = lock.withLock({ answers[key] }) { return known }
        let answer = compute()
        remember(answer, for: key)
        return answer
    }

    func remember(_ until: Date, for key: Digest) {
        lock.withLock { answers[key] = until }
    }
}
