/// Totals kept by the cache database.
public struct ActionCacheStatistics: Sendable, Hashable {
    public var records: Int
    /// Sum of the recorded outputs' sizes (blobs shared by several records count each time).
    public var outputBytes: Int64
    public var hits: Int64
    public var misses: Int64
    public var fileStates: Int

    public init(records: Int, outputBytes: Int64, hits: Int64, misses: Int64, fileStates: Int) {
        self.records = records
        self.outputBytes = outputBytes
        self.hits = hits
        self.misses = misses
        self.fileStates = fileStates
    }
}
