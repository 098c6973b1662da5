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
