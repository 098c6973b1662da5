/// What one garbage collection removed and what is left.
public struct GarbageCollectionReport: Sendable, Hashable {
    public var removedRecords = 0
    public var removedBlobs = 0
    public var freedBytes: Int64 = 0
    public var removedFileStates = 0
    public var removedTemporaries = 0
    public var remainingRecords = 0
    public var remainingBlobs = 0
    public var remainingBytes: Int64 = 0
    /// Unreferenced blobs kept because they are younger than the grace period.
    public var keptRecentOrphans = 0

    public init() {}
}
