import FoundationEssentials
import Glibc

/// Generations of a cluster's outputs, as the action records remember them: every run that changed a
/// stage's outputs left a record, so a stage's records, newest first, are its output generations.
/// `talos-batch diff` compares the current files with the generation before them; `cache gc` drops a
/// previous generation only together with its current one.
extension ActionCache {
    /// A cluster's trusted records of one stage, newest first (damaged records are left out, with a warning).
    public func records(stage: String, cluster: String) throws -> [ActionRecord] {
        let keys: [Digest] = try database.read { db in
            try db.query("SELECT key FROM actions WHERE stage = ? AND cluster = ? ORDER BY created_since_2001 DESC, key",
                         [.text(stage), .text(cluster)]).compactMap { $0[0].digest }
        }
        return try keys.compactMap { try lookup($0) }
    }

    /// For every stage and cluster with two or more records: the previous generation's record key →
    /// the current (newest) one's. Garbage collection treats a previous generation as used whenever its
    /// current one was, so the two leave together (the previous one first).
    public func previousGenerations() throws -> [Digest: Digest] {
        try database.read { db in
            var result: [Digest: Digest] = [:]
            var newest: Digest?
            var group: (String, String)?
            for row in try db.query("""
                SELECT key, stage, cluster FROM (SELECT key, stage, cluster, row_number() OVER (PARTITION BY stage, cluster
                                                 ORDER BY created_since_2001 DESC, key) AS generation FROM actions)
                WHERE generation <= 2 ORDER BY stage, cluster, generation
                """) {
                guard let key = row[0].digest else { continue }
                let current = (row[1].text, row[2].text)
                if let group, group == current, let newest { result[key] = newest } else { newest = key }
                group = current
            }
            return result
        }
    }
}
