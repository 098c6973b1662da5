import FoundationEssentials
import Glibc
import SystemKit

/// Action key → output manifest, kept in the cache database. Safe to share between threads and
/// between processes using the same cache directory.
public final class ActionCache: Sendable {
    public let database: CacheDatabase
    private let batch = ActionBatch()
    /// Serialises batch writes (chunks during a run, then the final flush).
    private let flushing = Lock()
    /// Authenticates records (nil: records are checked only for their shape).
    public let key: CacheKey?
    private let damage: DamageReports

    public init(database: CacheDatabase, key: CacheKey? = nil, warn: @escaping CacheWarningHandler = CacheWarning.standardError) {
        self.database = database
        self.key = key
        damage = DamageReports(warn: warn)
    }

    /// Opens (creating if needed) the database at `path`; a broken one is moved aside with a warning.
    public convenience init(path: URL, warn: @escaping CacheWarningHandler = CacheWarning.standardError) throws {
        self.init(database: try CacheDatabase(url: path, warn: warn))
    }

    public func lookup(_ key: Digest) throws -> ActionRecord? {
        if let pending = batch.record(key) { return pending }
        return try database.read { db in
            guard let row = try db.query(
                "SELECT stage, cluster, created_since_2001, last_used_since_2001, duration, output_count, mac FROM actions WHERE key = ?", [key.sqlite]).first
            else { return nil }
            return try trusted(Self.record(key: key, row: row, db), row: row)
        }
    }

    /// A record by key, and whether it is also the newest record of `stage` for `cluster` — what
    /// `lastRecord` would return — in one read transaction instead of two. A restore asks both (restoring an
    /// older result leaves the newer run's files stale) and almost always finds the record is the newest:
    /// then only its key is compared, nothing else decoded or checked.
    public func lookup(_ key: Digest, newestOf stage: String, cluster: String) throws -> (record: ActionRecord, isNewest: Bool)? {
        if let pending = batch.record(key) {
            return (pending, batch.lastRecord(stage: stage, cluster: cluster)?.key == key)
        }
        return try database.read { db in
            guard let row = try db.query(
                "SELECT stage, cluster, created_since_2001, last_used_since_2001, duration, output_count, mac FROM actions WHERE key = ?", [key.sqlite]).first,
                let record = try trusted(Self.record(key: key, row: row, db), row: row)
            else { return nil }
            // A pending record is newer than any stored one (`lastRecord` answers from the batch first).
            if let pending = batch.lastRecord(stage: stage, cluster: cluster) { return (record, pending.key == key) }
            let newest = try db.query("""
                SELECT key FROM actions WHERE stage = ? AND cluster = ? ORDER BY created_since_2001 DESC LIMIT 1
                """, [.text(stage), .text(cluster)]).first?.first?.digest
            return (record, newest == key)
        }
    }

    /// The record if it passes its integrity and shape checks; else nil, with a warning (damage is a miss).
    private func trusted(_ record: ActionRecord, row: [SQLiteValue]) -> ActionRecord? {
        guard let problem = RecordIntegrity.problem(record, storedMAC: row[6].digest, outputCount: row[5].integer, key: key)
        else { return record }
        damage.report(record, problem)
        return nil
    }

    /// The record if its outputs fit what its stage declares (paths, modes, required outputs); else nil,
    /// with a warning. Checked before anything is restored from it, whatever the database says.
    public func admit(_ record: ActionRecord, declared: OutputDeclaration) -> ActionRecord? {
        guard let problem = declared.problem(in: record.outputs) else { return record }
        damage.report(record, problem)
        return nil
    }

    /// Stores a record, replacing any earlier one with the same key.
    public func record(_ record: ActionRecord) throws {
        if batch.note(record) { return }
        try database.write { db in try insert(record, db) }
    }

    /// Starts a batch: records, last-use times and hit/miss counts are kept in memory (and answer
    /// lookups) until `flush` writes them all in one transaction, instead of one write transaction per
    /// stage. A crash before the flush loses only those records: their stages run again next time.
    public func beginBatch() { batch.begin() }

    /// Writes what the batch collected in one write transaction and ends the batch. `beforeCommit` runs
    /// first, outside the database lock — the place to make the records' blobs durable, so a record can
    /// never outlive the bytes it names.
    public func flush(beforeCommit: () throws -> Void = {}) throws {
        try flushing.withLock { try write(batch.end(), beforeCommit: beforeCommit) }
    }

    /// Writes what the batch collected, as `flush` does, once it holds `threshold` records — but keeps
    /// the batch open. A long run calls it as it goes, so the records it holds stay bounded instead of
    /// growing with the fleet (about 1 KB each). `beforeCommit` makes their blobs durable first, as
    /// for `flush`; a crash after the write loses nothing, one before it only this chunk's entries.
    public func flushChunk(ifAtLeast threshold: Int, beforeCommit: () throws -> Void) throws {
        guard batch.recordCount >= threshold else { return }
        // One chunk at a time, so a later chunk's record never lands before an earlier one's.
        try flushing.withLock {
            guard let pending = batch.take(atLeast: threshold) else { return }
            defer { batch.committed() }
            try write(pending, beforeCommit: beforeCommit)
        }
    }

    private func write(_ pending: ActionBatch.Pending, beforeCommit: () throws -> Void) throws {
        guard !pending.isEmpty else { return }
        if !pending.records.isEmpty { try beforeCommit() }
        try database.write { db in
            // In key order: the tables are keyed by digests, so arrival order would touch B-tree pages
            // at random; sorted, each insert lands beside the previous one. (Indices are sorted, not the
            // records: a copy of 50,000 records would be the peak of a big run's memory.)
            let records = pending.records
            for index in records.indices.sorted(by: { records[$0].key < records[$1].key }) {
                try insert(records[index], db)
            }
            for (key, date) in pending.used.sorted(by: { $0.key < $1.key }) { try Self.markUsed(key, at: date, db) }
            if pending.hits > 0 { try Self.bump("hits", by: pending.hits, db) }
            if pending.misses > 0 { try Self.bump("misses", by: pending.misses, db) }
        }
    }

    private func insert(_ record: ActionRecord, _ db: SQLiteConnection) throws {
            try Self.delete(record.key, db)
            try db.query("""
                INSERT INTO actions (key, stage, cluster, created_since_2001, last_used_since_2001, duration, output_bytes,
                                     output_count, mac)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [record.key.sqlite, .text(record.stage), .text(record.cluster),
                      .real(record.created.timeIntervalSinceReferenceDate), .real(record.lastUsed.timeIntervalSinceReferenceDate),
                      .real(record.duration), .integer(record.outputBytes), .integer(Int64(record.outputs.count)),
                      key.map { RecordIntegrity.mac(record, key: $0).sqlite } ?? .null])
            for (position, output) in record.outputs.enumerated() {
                try db.query("""
                    INSERT INTO action_outputs (key, position, path, digest, mode, size) VALUES (?, ?, ?, ?, ?, ?)
                    """, [record.key.sqlite, .integer(Int64(position)), .text(output.path), output.digest.sqlite,
                          .integer(Int64(output.mode)), .integer(output.size)])
            }
            for (position, input) in record.inputs.enumerated() {
                try db.query("INSERT INTO action_inputs (key, position, name, digest) VALUES (?, ?, ?, ?)",
                             [record.key.sqlite, .integer(Int64(position)), .text(input.name), input.digest.sqlite])
            }
    }

    /// Notes that a record was reused (its last-used time drives LRU garbage collection).
    public func markUsed(_ key: Digest, at date: Date = Date()) throws {
        if batch.markUsed(key, at: date) { return }
        try database.write { db in try Self.markUsed(key, at: date, db) }
    }

    private static func markUsed(_ key: Digest, at date: Date, _ db: SQLiteConnection) throws {
        try db.query("UPDATE actions SET last_used_since_2001 = max(last_used_since_2001, ?) WHERE key = ?",
                     [.real(date.timeIntervalSinceReferenceDate), key.sqlite])
    }

    /// The most recently created record of a stage for a cluster (what `explain` compares against).
    public func lastRecord(stage: String, cluster: String) throws -> ActionRecord? {
        if let pending = batch.lastRecord(stage: stage, cluster: cluster) { return pending }
        return try database.read { db in
            guard let row = try db.query("""
                SELECT key, stage, cluster, created_since_2001, last_used_since_2001, duration, output_count, mac FROM actions
                WHERE stage = ? AND cluster = ? ORDER BY created_since_2001 DESC LIMIT 1
                """, [.text(stage), .text(cluster)]).first, let key = row[0].digest
            else { return nil }
            let rest = Array(row.dropFirst())
            return try trusted(Self.record(key: key, row: rest, db), row: rest)
        }
    }

    /// Removes one record (its blobs stay until garbage collection finds them unreferenced).
    public func remove(_ key: Digest) throws {
        try database.write { db in try Self.delete(key, db) }
    }

    /// Removes several records in one transaction.
    public func remove(_ keys: some Sequence<Digest>) throws {
        try database.write { db in
            for key in keys { try Self.delete(key, db) }
        }
    }

    public func noteHit() throws {
        if batch.count(hit: true) { return }
        try database.write { db in try Self.bump("hits", by: 1, db) }
    }

    public func noteMiss() throws {
        if batch.count(hit: false) { return }
        try database.write { db in try Self.bump("misses", by: 1, db) }
    }

    /// Counts for `cache stats`.
    public func statistics() throws -> ActionCacheStatistics {
        try database.read { db in
            let records = try db.query("SELECT count(*), coalesce(sum(output_bytes), 0) FROM actions").first ?? []
            let counters = Dictionary(try db.query("SELECT name, value FROM counters").map { ($0[0].text, $0[1].integer) },
                                      uniquingKeysWith: { $1 })
            let fileStates = try db.query("SELECT count(*) FROM file_states").first?.first?.integer ?? 0
            return ActionCacheStatistics(records: Int(records.first?.integer ?? 0),
                                         outputBytes: records.count > 1 ? records[1].integer : 0,
                                         hits: counters["hits"] ?? 0, misses: counters["misses"] ?? 0,
                                         fileStates: Int(fileStates))
        }
    }

    /// Every record's key, last-used time and outputs, least recently used first (for verify and gc).
    public func manifests() throws -> [ActionManifest] {
        try database.read { db in
            var outputs = [Digest: [OutputEntry]]()
            for row in try db.query("SELECT key, path, digest, mode, size FROM action_outputs ORDER BY key, position") {
                guard let key = row[0].digest, let digest = row[2].digest else { continue }
                outputs[key, default: []].append(OutputEntry(path: row[1].text, digest: digest,
                                                             mode: UInt32(truncatingIfNeeded: row[3].integer),
                                                             size: row[4].integer))
            }
            return try db.query("SELECT key, stage, cluster, last_used_since_2001 FROM actions ORDER BY last_used_since_2001, key").compactMap { row in
                guard let key = row[0].digest else { return nil }
                return ActionManifest(key: key, stage: row[1].text, cluster: row[2].text,
                                      lastUsed: Date(timeIntervalSinceReferenceDate: row[3].real), outputs: outputs[key] ?? [])
            }
        }
    }

    /// Every stored record with why it cannot be trusted (nil when it can): what `cache verify` checks.
    /// Reads everything in three queries rather than three per record.
    public func inspectAll() throws -> [(record: ActionRecord, problem: String?)] {
        try database.read { db in
            var outputs = [Digest: [OutputEntry]]()
            for row in try db.query("SELECT key, path, digest, mode, size FROM action_outputs ORDER BY key, position") {
                guard let key = row[0].digest, let digest = row[2].digest else { continue }
                outputs[key, default: []].append(OutputEntry(path: row[1].text, digest: digest,
                                                             mode: UInt32(truncatingIfNeeded: row[3].integer), size: row[4].integer))
            }
            var inputs = [Digest: [ActionInput]]()
            for row in try db.query("SELECT key, name, digest FROM action_inputs ORDER BY key, position") {
                guard let key = row[0].digest, let digest = row[2].digest else { continue }
                inputs[key, default: []].append(ActionInput(name: row[1].text, digest: digest))
            }
            return try db.query("""
                SELECT key, stage, cluster, created_since_2001, last_used_since_2001, duration, output_count, mac FROM actions ORDER BY key
                """).compactMap { row in
                guard let key = row[0].digest else { return nil }
                let record = ActionRecord(key: key, stage: row[1].text, cluster: row[2].text, outputs: outputs[key] ?? [],
                                          inputs: inputs[key] ?? [], created: Date(timeIntervalSinceReferenceDate: row[3].real),
                                          lastUsed: Date(timeIntervalSinceReferenceDate: row[4].real), duration: row[5].real)
                return (record, RecordIntegrity.problem(record, storedMAC: row[7].digest, outputCount: row[6].integer, key: self.key))
            }
        }
    }

    /// Forgets every record, file state and counter.
    public func removeAll() throws {
        try database.write { db in
            for table in ["actions", "action_outputs", "action_inputs", "counters", "file_states"] {
                try db.query("DELETE FROM \(table)")
            }
        }
    }

    // MARK: - Private

    private static func bump(_ counter: String, by amount: Int64, _ db: SQLiteConnection) throws {
        try db.query("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
                     [.text(counter), .integer(amount)])
    }

    private static func delete(_ key: Digest, _ db: SQLiteConnection) throws {
        try db.query("DELETE FROM actions WHERE key = ?", [key.sqlite])
        // Output and input rows exist only beside their `actions` row (every removal goes through here).
        if db.changes == 0 { return }
        try db.query("DELETE FROM action_outputs WHERE key = ?", [key.sqlite])
        try db.query("DELETE FROM action_inputs WHERE key = ?", [key.sqlite])
    }

    /// Builds a record from its `actions` row (stage, cluster, created, last used, duration).
    private static func record(key: Digest, row: [SQLiteValue], _ db: SQLiteConnection) throws -> ActionRecord {
        let outputs = try db.query("SELECT path, digest, mode, size FROM action_outputs WHERE key = ? ORDER BY position",
                                   [key.sqlite]).compactMap { row -> OutputEntry? in
            guard let digest = row[1].digest else { return nil }
            return OutputEntry(path: row[0].text, digest: digest, mode: UInt32(truncatingIfNeeded: row[2].integer),
                               size: row[3].integer)
        }
        let inputs = try db.query("SELECT name, digest FROM action_inputs WHERE key = ? ORDER BY position",
                                  [key.sqlite]).compactMap { row -> ActionInput? in
            guard let digest = row[1].digest else { return nil }
            return ActionInput(name: row[0].text, digest: digest)
        }
        return ActionRecord(key: key, stage: row[0].text, cluster: row[1].text, outputs: outputs, inputs: inputs,
                            created: Date(timeIntervalSinceReferenceDate: row[2].real),
                            lastUsed: Date(timeIntervalSinceReferenceDate: row[3].real), duration: row[4].real)
    }
}

/// Warns about damaged records: each once, and at most 20 per process (a cache copied from another key
/// would otherwise print one line per record).
final class DamageReports: @unchecked Sendable {
    static let limit = 20
    private let warn: CacheWarningHandler
    private let lock = Lock()
    private var reported = Set<Digest>()

    init(warn: @escaping CacheWarningHandler) { self.warn = warn }

    func report(_ record: ActionRecord, _ problem: String) {
        let count: Int? = lock.withLock {
            guard reported.insert(record.key).inserted else { return nil }
            return reported.count
        }
        guard let count, count <= Self.limit else { return }
        warn("ignoring the cached \(record.stage) result for \(record.cluster) (record \(record.key.hex.prefix(12))): \(problem); "
             + "the stage runs again" + (count == Self.limit ? " (further damaged records are not reported one by one; `talos-batch cache verify` lists them)" : ""))
    }
}
