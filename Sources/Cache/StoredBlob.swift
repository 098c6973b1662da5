import FoundationEssentials
import Glibc

/// A blob as found on disk, for verification and garbage collection.
public struct StoredBlob: Sendable, Hashable {
    public var digest: Digest
    public var size: Int64
    public var modified: Date
}
