/// One file an action produced: where it goes (relative to the action's output folder), which blob
/// holds its bytes, and its permission bits.
public struct OutputEntry: Sendable, Hashable, Codable {
    public var path: String
    public var digest: Digest
    public var mode: UInt32
    public var size: Int64

    public init(path: String, digest: Digest, mode: UInt32, size: Int64) {
        self.path = path
        self.digest = digest
        self.mode = mode
        self.size = size
    }
}

extension OutputEntry {
    /// An output with no group or other permission bits holds secret material (machine configs, client
    /// keys): its blob is sealed, or not stored at all without a cache key.
    public static func isSecret(mode: UInt32) -> Bool { mode & 0o077 == 0 }
}
