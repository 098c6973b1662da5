import FoundationEssentials
import Glibc

/// A stamp file as read: its bytes and where each group's record lies. Records are decoded only when asked
/// for, so a run over 10,000 clusters holds ~15 MB of bytes rather than 10,000 decoded stamps.
public struct StampFile: Sendable {
    public static let empty = StampFile(bytes: [], index: [:])

    let bytes: [UInt8]
    let index: [String: Range<Int>]

    /// Reads `bytes`; empty when they are not a whole, intact stamp file.
    init(bytes: [UInt8], key: CacheKey?) {
        guard let index = StampFileFormat.index(bytes, key: key) else {
            self = .empty
            return
        }
        self.init(bytes: bytes, index: index)
    }

    private init(bytes: [UInt8], index: [String: Range<Int>]) {
        self.bytes = bytes
        self.index = index
    }

    public var count: Int { index.count }
    public var isEmpty: Bool { index.isEmpty }
    public var groups: some Collection<String> { index.keys }

    /// The stamp of `group`, if there is one that decodes.
    public func stamp(forGroup group: String) -> Stamp? {
        guard let range = index[group] else { return nil }
        return StampFileFormat.decode(bytes[range])
    }

    /// Whether the stamp of `group` still holds, checked in place (see `StampFileFormat.verify`); nil when
    /// there is none or it does not hold.
    public func verify(group: String, configuration: Digest, nowNanoseconds: Int64, names: [String], withOutputs: Bool,
                       state: (UnsafePointer<CChar>, Bool) -> FileState?) -> StampCheck? {
        guard let range = index[group] else { return nil }
        return StampFileFormat.verify(bytes[range], configuration: configuration, nowNanoseconds: nowNanoseconds,
                                      names: names, withOutputs: withOutputs, state: state)
    }

    /// The records of groups not in `excluding`, as bytes (not copied).
    func records(excluding: Set<String>) -> [ArraySlice<UInt8>] {
        index.compactMap { group, range in excluding.contains(group) ? nil : bytes[range] }
    }
}

/// What a stamp that holds says: its actions' keys and outputs (in the order asked for), and when its
/// last-use times were refreshed.
public struct StampCheck: Sendable {
    public var keys: [Digest]
    public var outputs: [[OutputEntry]]
    public var refreshedSeconds: Int64
}
