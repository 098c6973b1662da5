import FoundationEssentials
import Glibc
import SystemKit

/// What an open `ActionCache` batch has collected but not yet written: records (which answer lookups
/// meanwhile), last-use times and hit/miss counts.
final class ActionBatch: @unchecked Sendable {
    struct Pending {
        var records: [ActionRecord] = []
        var used: [Digest: Date] = [:]
        var hits: Int64 = 0
        var misses: Int64 = 0

        var isEmpty: Bool { records.isEmpty && used.isEmpty && hits == 0 && misses == 0 }
    }

    private let lock = Lock()
    private var open = false
    private var pending = Pending()
    private var byKey: [Digest: Int] = [:]
    private var newest: [String: Int] = [:]
    /// A chunk taken by `take` and being written: it still answers lookups until `committed()`, so a
    /// lookup in between never misses a record this run made.
    private var inFlight: [ActionRecord] = []
    private var inFlightByKey: [Digest: Int] = [:]
    private var inFlightNewest: [String: Int] = [:]

    func begin() {
        lock.withLock {
            open = true
            pending = Pending(); byKey = [:]; newest = [:]
            inFlight = []; inFlightByKey = [:]; inFlightNewest = [:]
        }
    }

    /// Returns what was collected and closes the batch.
    func end() -> Pending {
        lock.withLock {
            defer { open = false; pending = Pending(); byKey = [:]; newest = [:] }
            return pending
        }
    }

    /// The number of records collected so far (not counting a chunk in flight).
    var recordCount: Int { lock.withLock { pending.records.count } }

    /// Takes what was collected once it holds at least `threshold` records, leaving the batch open and
    /// empty; the records keep answering lookups until `committed()`. Nil below the threshold.
    func take(atLeast threshold: Int) -> Pending? {
        lock.withLock {
            guard open, pending.records.count >= threshold else { return nil }
            let taken = pending
            inFlight = taken.records
            inFlightByKey = byKey
            inFlightNewest = newest
            pending = Pending(); byKey = [:]; newest = [:]
            return taken
        }
    }

    /// The chunk taken last is in the database (or lost with a failed write): it stops answering lookups.
    func committed() {
        lock.withLock { inFlight = []; inFlightByKey = [:]; inFlightNewest = [:] }
    }

    func record(_ key: Digest) -> ActionRecord? {
        lock.withLock { byKey[key].map { pending.records[$0] } ?? inFlightByKey[key].map { inFlight[$0] } }
    }

    /// The newest pending record of a stage for a cluster.
    func lastRecord(stage: String, cluster: String) -> ActionRecord? {
        let name = stage + "\u{0}" + cluster
        return lock.withLock { newest[name].map { pending.records[$0] } ?? inFlightNewest[name].map { inFlight[$0] } }
    }

    /// Keeps a record (replacing a pending one with the same key); false when no batch is open.
    func note(_ record: ActionRecord) -> Bool {
        lock.withLock {
            guard open else { return false }
            let index: Int
            if let existing = byKey[record.key] {
                index = existing
                pending.records[index] = record
            } else {
                index = pending.records.count
                byKey[record.key] = index
                pending.records.append(record)
            }
            newest[record.stage + "\u{0}" + record.cluster] = index
            return true
        }
    }

    func markUsed(_ key: Digest, at date: Date) -> Bool {
        lock.withLock {
            guard open else { return false }
            pending.used[key] = max(pending.used[key] ?? date, date)
            return true
        }
    }

    func count(hit: Bool) -> Bool {
        lock.withLock {
            guard open else { return false }
            if hit { pending.hits += 1 } else { pending.misses += 1 }
            return true
        }
    }
}
