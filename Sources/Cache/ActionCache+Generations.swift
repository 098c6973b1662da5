import Foundation

/// Generations of a cluster's outputs, as the action records remember them: every run that changed a
/// stage's outputs left a record, so a stage's records, newest first, are its output generations.
/// `talos-batch diff` compares the current files with the generation before them; `cache gc` keeps the
/// newest two records of every stage and cluster so that the previous generation always survives.
extension ActionCache {
    /// How many records per stage and cluster garbage collection never removes: the current generation
    /// and the one before it.
    public static let keptGenerations = 2

    /// A cluster's trusted records of one stage, newest first (damaged records are left out, with a warning).
    public func records(stage: String, cluster: String) throws -> [ActionRecord] {
        let keys: [Digest] = try database.read { db in
            try db.query("SELECT key FROM actions WHERE stage = ? AND cluster = ? ORDER BY created_since_2001 DESC, key",
                         [.text(stage), .text(cluster)]).compactMap { $0[0].digest }
        }
        return try keys.compactMap { try lookup($0) }
    }

    /// The keys of the newest `keptGenerations` records of every stage and cluster (what gc keeps).
    public func generationKeys() throws -> Set<Digest> {
        try database.read { db in
            Set(try db.query("""
                SELECT key FROM (SELECT key, row_number() OVER (PARTITION BY stage, cluster
                                 ORDER BY created_since_2001 DESC, key) AS generation FROM actions)
                WHERE generation <= ?
                """, [.integer(Int64(Self.keptGenerations))]).compactMap { $0[0].digest })
        }
    }
}
