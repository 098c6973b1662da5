import Cache
import FoundationEssentials
import Glibc

/// What one stage of one cluster needs, as "Build Systems à la Carte" calls it the rebuilder's verdict.
enum Rebuild: Equatable {
    /// A recorded result holds and every output is on disk as recorded: nothing to do.
    case fresh
    /// A recorded result holds; these outputs are missing or altered on disk and come back from the blob store.
    case restore([OutputEntry])
    /// No recorded result can be used: the stage runs, for these reasons (ninja -d explain style).
    case run(reasons: [String])
}

/// What the executor found about the recorded result the key names (a "verifying trace" hit).
struct RecordedResult {
    var record: ActionRecord
    /// Outputs whose bytes or mode on disk differ from the record.
    var mismatched: [OutputEntry]
    /// Whether the blob store gave back every mismatched output intact.
    var restorable: Bool
    /// The mismatched outputs' bytes, read and verified (empty on a dry run).
    var restoredBytes: [String: [UInt8]] = [:]
    /// When the result stops being valid (time-limited outputs); nil when it never does.
    var validUntil: Date?
}

/// The rebuild decision, and nothing else: a pure function of the key's inputs, the recorded trace and the
/// state of the outputs on disk. It reads no file and touches no cache; `StageExecutor` gathers the facts
/// and carries out the verdict.
struct Rebuilder {
    /// `--force`: never reuse a recorded result.
    var force: Bool
    var now: Date

    /// Whether a recorded result may be looked up at all.
    var reusesResults: Bool { !force }

    /// - Parameters:
    ///   - hit: the admitted record the key found (nil on a miss, or under `--force`).
    ///   - recordDamaged: the key found a record that does not fit the stage's declared outputs.
    ///   - previous: the last recorded run of this stage for this cluster (asked only when the stage runs).
    func decide(key: Digest, inputs: [ActionInput], hit: RecordedResult?, recordDamaged: Bool = false,
                previous: () throws -> ActionRecord?) rethrows -> Rebuild {
        if recordDamaged { return .run(reasons: ["(cached record damaged)"]) }
        if let hit {
            let valid = hit.validUntil.map { now < $0 } ?? true
            if hit.restorable && valid {
                return hit.mismatched.isEmpty ? .fresh : .restore(hit.mismatched)
            }
            return .run(reasons: [hit.restorable ? "(cached output expired)" : "(cached output missing or damaged)"])
        }
        let previous = try previous()
        // Under --force an unchanged stage runs only because it was asked to; say so.
        if force && previous?.key == key { return .run(reasons: ["(forced)"]) }
        return .run(reasons: Self.changes(from: previous, to: inputs))
    }

    /// Which inputs differ from the last recorded run.
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
