/// Totals kept by the cache database.
public struct ActionCacheStatistics: Sendable, Hashable {
    public var records: Int
    /// Sum of the recorded outputs' sizes (blobs shared by several records count each time).
    public var outputBytes: Int64
    public var hits: Int64
    public var misses: Int64
    public var fileStates: Int
}
