import Foundation

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

    private let lock = NSLock()
    private var open = false
    private var pending = Pending()
    private var byKey: [Digest: Int] = [:]
    private var newest: [String: Int] = [:]

    func begin() { lock.withLock { open = true; pending = Pending(); byKey = [:]; newest = [:] } }

    /// Returns what was collected and closes the batch.
    func end() -> Pending {
        lock.withLock {
            defer { open = false; pending = Pending(); byKey = [:]; newest = [:] }
            return pending
        }
    }

    func record(_ key: Digest) -> ActionRecord? {
        lock.withLock { byKey[key].map { pending.records[$0] } }
    }

    /// The newest pending record of a stage for a cluster.
    func lastRecord(stage: String, cluster: String) -> ActionRecord? {
        lock.withLock { newest[stage + "\u{0}" + cluster].map { pending.records[$0] } }
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
