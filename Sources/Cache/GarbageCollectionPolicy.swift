import FoundationEssentials
import Glibc

/// Limits `cache gc` enforces.
public struct GarbageCollectionPolicy: Sendable, Hashable {
    /// Upper bound on the bytes of blobs kept; nil for no bound.
    public var maxSize: Int64?
    /// Action records not used for longer than this are dropped; nil for no bound.
    public var maxAge: TimeInterval?
    /// Blobs that no record referenced even before this collection started, but that were written
    /// this recently, are kept: another process may be about to record the action that made them.
    public var orphanGracePeriod: TimeInterval

    public init(maxSize: Int64? = nil, maxAge: TimeInterval? = nil, orphanGracePeriod: TimeInterval = 600) {
        self.maxSize = maxSize
        self.maxAge = maxAge
        self.orphanGracePeriod = orphanGracePeriod
    }
}
