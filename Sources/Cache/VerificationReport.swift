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

    public var checkedBlobs = 0
    public var checkedRecords = 0
    /// Blobs whose content no longer matched their digest; they have been removed.
    public var corruptBlobs: [Digest] = []
    /// Outputs of records whose blobs are missing; those records have been removed.
    public var missingOutputs: [MissingOutput] = []
    /// SQLite's own integrity-check messages.
    public var databaseProblems: [String] = []

    public init() {}

    public var isClean: Bool { corruptBlobs.isEmpty && missingOutputs.isEmpty && databaseProblems.isEmpty }
}
