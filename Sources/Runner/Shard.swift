import Cache

/// `--shard K/N`: a stable partition of clusters for CI matrix jobs. A cluster's shard depends only on
/// its id (FNV-1a, 64-bit), so adding a cluster never moves the others.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int   // 1-based
    public let count: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
              count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    public func contains(_ clusterID: String) -> Bool {
        Int(Self.fnv1a(clusterID) % UInt64(count)) == index - 1
    }

    public var description: String { "\(index)/\(count)" }

    static func fnv1a(_ text: String) -> UInt64 { FNV1a.hash(text) }
}
