/// What `cache verify` found. Anything in it other than counts means the cache was damaged.
public struct VerificationReport: Sendable, Hashable {
    /// An action record that names a blob the store does not hold (any more).
    public struct MissingOutput: Sendable, Hashable {
        public var record: Digest
        public var stage: String
        public var cluster: String
        public var path: String
        public var digest: Digest
    }

    /// An action record that fails its integrity code or its shape (deleted output rows, a path that is
    /// not plain, a mode with special bits).
    public struct DamagedRecord: Sendable, Hashable {
        public var record: Digest
        public var stage: String
        public var cluster: String
        public var problem: String
    }

    public var checkedBlobs = 0
    public var checkedRecords = 0
    /// Blobs whose content no longer matched their digest; they have been removed.
    public var corruptBlobs: [Digest] = []
    /// Outputs of records whose blobs are missing; those records have been removed.
    public var missingOutputs: [MissingOutput] = []
    /// Records that could not be trusted; they have been removed.
    public var damagedRecords: [DamagedRecord] = []
    /// Packs whose index was missing or damaged; rebuilt from their entries.
    public var reindexedPacks: [String] = []
    /// What opening the cache folder repaired (permissions, a file where a folder belongs).
    public var folderRepairs: [String] = []
    /// The database moved aside at open, and SQLite's own integrity-check messages.
    public var databaseProblems: [String] = []

    public init() {}

    public var isClean: Bool {
        corruptBlobs.isEmpty && missingOutputs.isEmpty && damagedRecords.isEmpty && reindexedPacks.isEmpty
            && databaseProblems.isEmpty && folderRepairs.isEmpty
    }

    /// One line per problem, as `cache verify` prints them.
    public var problemLines: [String] {
        folderRepairs.map { "folder: \($0)" }
            + databaseProblems.map { "database: \($0)" }
            + reindexedPacks.map { "pack \($0): its index was missing or damaged; rebuilt it from the pack's entries" }
            + corruptBlobs.map { "corrupt blob \($0.hex): removed" }
            + damagedRecords.map { "damaged record \($0.record.hex.prefix(12)) (stage \($0.stage), cluster \($0.cluster)): \($0.problem); removed" }
            + missingOutputs.map { "missing blob \($0.digest.hex) for \($0.path) (stage \($0.stage), cluster \($0.cluster)): record removed" }
    }

    /// The closing line of `cache verify`.
    public var summary: String {
        let records = Set(missingOutputs.map(\.record)).count
        return "checked \(checkedBlobs) blobs and \(checkedRecords) action records: "
            + (isClean ? "all good"
               : "\(corruptBlobs.count) corrupt blobs, \(records) records with missing outputs, \(damagedRecords.count) damaged records, "
                 + "\(reindexedPacks.count) packs reindexed, \(databaseProblems.count) database problems, "
                 + "\(folderRepairs.count) folder repairs")
    }
}
